package io.vaultsync.server.vault;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.TargetTooLargeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an uploaded delta into staged content: patched over the stored version it replaces, bounded
 * by the largest file before it grows past it, its hash verified. Thread-safe.
 */
final class ContentUploads {
  private static final Logger log = LoggerFactory.getLogger(ContentUploads.class);

  private final ContentStore store;
  private final ContentRepair repair;

  ContentUploads(ContentStore store, ContentRepair repair) {
    this.store = Objects.requireNonNull(store, "store");
    this.repair = Objects.requireNonNull(repair, "repair");
  }

  /**
   * Patches {@code delta} over {@code basis} into {@code batch}, refusing a target larger than
   * {@code maxFileBytes} before it grows past it (issue 12: a 74-byte delta of four whole-basis
   * copies declared 2 GB).
   *
   * @throws FileTooLargeException if the target would be larger than {@code maxFileBytes}
   */
  Staged stage(
      StagingBatch batch,
      VaultName vault,
      NotePath path,
      String device,
      Basis basis,
      InputStream delta,
      long maxFileBytes)
      throws IOException {
    ContentHash[] verified = new ContentHash[1];
    Staged staged =
        batch.stage(
            out -> {
              try {
                verified[0] = Deltas.patch(basis, delta, out, null, maxFileBytes);
              } catch (TargetTooLargeException e) {
                log.warn(
                    "refused {} in vault {} from device {}: it would be at least {} bytes, the"
                        + " largest file is {}",
                    path,
                    vault,
                    device,
                    e.reached(),
                    e.limit());
                throw new FileTooLargeException(
                    vault.value(), path.value(), e.reached(), e.limit());
              }
            });
    if (!staged.hash().equals(verified[0])) {
      throw new IOException(
          "stored bytes hash to " + staged.hash().hex() + " but the patch verified " + verified[0]);
    }
    return staged;
  }

  /**
   * The basis a write patches: the stored content of {@code current} (null: nothing). When the
   * store lacks it (lost, or found damaged) the write can still apply a delta that copies nothing
   * from it, which is what a client sends after its delta was refused for that reason: only a COPY
   * reads the basis, and then fails with {@link NotFoundException} naming the base.
   */
  Basis basisOf(StagingBatch batch, VaultName vault, RemoteEntry current) throws IOException {
    if (current == null) {
      return Basis.of(new byte[0]);
    }
    try {
      return batch.open(current.hash()).basis();
    } catch (NoSuchFileException | DamagedContentException e) {
      if (repair.heal(vault, current.hash())) {
        StoredObject healed = ContentReads.openOrNull(store, current.hash());
        if (healed != null) {
          return healed.basis();
        }
      }
      String message =
          "base version "
              + current.hash().hex()
              + " is not stored in vault "
              + vault
              + "; send the content against nothing";
      return new Basis() {
        @Override
        public long length() {
          return current.size();
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
          throw new NotFoundException(message);
        }
      };
    }
  }
}
