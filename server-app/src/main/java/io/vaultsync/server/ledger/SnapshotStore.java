package io.vaultsync.server.ledger;

import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * Snapshots of each vault (head state at a seq with its Merkle root) and ledger compaction, which
 * is bounded by them: the ledger is compacted only up to the oldest kept snapshot, so a client
 * whose seq fell behind the horizon catches up from a snapshot plus the ledger after it. Beside
 * {@link LedgerStore} because compaction checks the snapshots and deletes ledger rows in one
 * transaction.
 *
 * <p>Content is never deleted here: the store keeps every version, so whatever the head or a kept
 * snapshot names stays fetchable. Methods naming an unknown vault throw {@link NotFoundException}.
 * Thread-safe.
 */
public interface SnapshotStore {
  /**
   * Takes a snapshot of the head in one transaction; when the newest snapshot is already at the
   * head seq, returns that one.
   */
  SnapshotInfo take(VaultName vault, Instant time) throws IOException;

  /** The kept snapshots, oldest first. */
  List<SnapshotInfo> list(VaultName vault) throws IOException;

  /**
   * The entries of the snapshot at {@code seq}, in path order.
   *
   * @throws NotFoundException if none is kept at {@code seq}
   */
  RemoteManifest entries(VaultName vault, long seq) throws IOException;

  /**
   * Deletes all but the newest {@code keep} snapshots; returns how many were deleted.
   *
   * @throws IllegalArgumentException if {@code keep < 1}
   */
  int prune(VaultName vault, int keep) throws IOException;

  /**
   * Deletes, in one transaction, the ledger rows up to the highest seq X that satisfies all of: X
   * is at most the oldest kept snapshot's seq; X is at most the mirrored seq (a restart replays the
   * changes after it into the master folder); every row at or below X was recorded before {@code
   * olderThan} (null: no age limit). Raises the vault's horizon to X; never lowers it. Head state,
   * snapshots and content are untouched. Nothing happens without a snapshot.
   */
  Compaction compact(VaultName vault, Instant olderThan) throws IOException;

  /** The compacted horizon (0: never compacted). */
  long horizon(VaultName vault) throws IOException;
}
