package io.vaultsync.server.vault;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.server.integrity.WantedContent;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes content the server lost back from a device ({@link
 * io.vaultsync.protocol.VaultTransport#giveBack}): only content the server wants; the delta is
 * patched into a new pack with at most the wanted size, its SHA-256 checked, and the pack
 * committed. The store then tells the wanted set it has it again. Needs no vault lock: no ledger
 * row changes. Thread-safe.
 */
final class ContentGiveBack {
  private static final Logger log = LoggerFactory.getLogger(ContentGiveBack.class);

  private final LedgerStore ledger;
  private final ContentStore store;
  private final ContentRepair repair;

  ContentGiveBack(LedgerStore ledger, ContentStore store, ContentRepair repair) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.repair = Objects.requireNonNull(repair, "repair");
  }

  /** Whether {@code hash} was wanted and is now stored again from {@code delta}. */
  boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(delta, "delta");
    VaultName name = VaultNames.existing(ledger, vault);
    WantedContent w = repair.wanted();
    if (w == null || !w.contains(hash) || store.has(hash)) {
      return false;
    }
    long limit = w.size(hash);
    try (StagingBatch batch = store.newBatch()) {
      ContentHash[] verified = new ContentHash[1];
      Staged staged =
          batch.stage(
              out ->
                  verified[0] =
                      Deltas.patch(
                          Basis.of(new byte[0]), delta, new BoundedOutput(out, limit, hash)));
      if (!staged.hash().equals(hash) || !hash.equals(verified[0])) {
        throw new InvalidRequestException(
            "the content given back as " + hash.hex() + " hashes to " + staged.hash().hex());
      }
      batch.commit();
    }
    log.info("device {} gave back content {} (vault {})", device, hash.hex(), name);
    return true;
  }

  /** Refuses to write more than the wanted content's size (when it is known). */
  private static final class BoundedOutput extends FilterOutputStream {
    private final long limit;
    private final ContentHash hash;
    private long written;

    BoundedOutput(OutputStream out, long limit, ContentHash hash) {
      super(out);
      this.limit = limit;
      this.hash = hash;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (limit >= 0 && written + len > limit) {
        throw new InvalidRequestException(
            "the content given back as " + hash.hex() + " has more than its " + limit + " bytes");
      }
      written += len;
      out.write(b, off, len);
    }
  }
}
