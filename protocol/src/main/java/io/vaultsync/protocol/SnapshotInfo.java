package io.vaultsync.protocol;

import io.vaultsync.model.tree.MerkleRoot;
import java.time.Instant;
import java.util.Objects;

/**
 * A snapshot the remote keeps: the vault's manifest at {@code seq}, summarised by its Merkle root.
 * Its entries come from {@link VaultTransport#snapshotManifest}.
 *
 * @param seq the sequence number the snapshot was taken at (its manifest is the head then)
 * @param files how many files it lists
 * @param bytes their total size
 * @param root the Merkle root of its entries (docs/FORMAT.md section 8)
 * @param time when it was taken
 */
public record SnapshotInfo(long seq, long files, long bytes, MerkleRoot root, Instant time) {
  public SnapshotInfo {
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(time, "time");
    if (seq < 0 || files < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "snapshot at seq " + seq + " of " + files + " files, " + bytes + " bytes; expected >= 0");
    }
  }

  /** As a {@link VaultRoot} at the snapshot's seq. */
  public VaultRoot asRoot() {
    return new VaultRoot(seq, files, bytes, root);
  }
}
