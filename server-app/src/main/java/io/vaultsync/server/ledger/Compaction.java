package io.vaultsync.server.ledger;

import java.util.Objects;

/**
 * What one ledger compaction of a vault did.
 *
 * @param vault the vault
 * @param horizonBefore the compacted horizon before (0: never compacted)
 * @param horizonAfter the horizon after: ledger rows at or below it are gone
 * @param rowsDeleted ledger rows deleted
 * @param oldestSnapshotSeq the oldest kept snapshot's seq, which the horizon never passes; -1 when
 *     the vault has no snapshot (then nothing is compacted)
 */
public record Compaction(
    VaultName vault,
    long horizonBefore,
    long horizonAfter,
    long rowsDeleted,
    long oldestSnapshotSeq) {
  public Compaction {
    Objects.requireNonNull(vault, "vault");
    if (horizonBefore < 0 || horizonAfter < horizonBefore || rowsDeleted < 0) {
      throw new IllegalArgumentException(
          "compaction of "
              + vault
              + " from horizon "
              + horizonBefore
              + " to "
              + horizonAfter
              + " deleting "
              + rowsDeleted
              + " rows");
    }
  }

  /** One line for people. */
  public String summary() {
    if (oldestSnapshotSeq < 0) {
      return "vault " + vault + ": no snapshot yet, nothing compacted";
    }
    return "vault "
        + vault
        + ": ledger compacted up to seq "
        + horizonAfter
        + " ("
        + rowsDeleted
        + " rows removed; oldest kept snapshot at seq "
        + oldestSnapshotSeq
        + ")";
  }
}
