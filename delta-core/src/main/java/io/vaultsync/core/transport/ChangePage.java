package io.vaultsync.core.transport;

import java.util.List;

/**
 * A page of ledger entries.
 *
 * @param changes oldest first
 * @param headSeq the vault's latest sequence number when the page was read
 * @param horizonSeq the remote compacted its ledger up to this seq (0: never): changes at or below
 *     it are gone, and a request for changes after a seq below it gets no changes (see {@link
 *     #compactedAfter}); such a client catches up from a snapshot ({@link VaultTransport#snapshot})
 *     plus the changes after the snapshot's seq
 */
public record ChangePage(List<Change> changes, long headSeq, long horizonSeq) {
  public ChangePage {
    changes = List.copyOf(changes);
    if (horizonSeq < 0 || horizonSeq > headSeq) {
      throw new IllegalArgumentException(
          "change page with horizon seq "
              + horizonSeq
              + " and head seq "
              + headSeq
              + "; expected 0 <= horizon <= head");
    }
  }

  /** A page of a ledger that was never compacted. */
  public ChangePage(List<Change> changes, long headSeq) {
    this(changes, headSeq, 0);
  }

  /** Whether more changes follow this page. */
  public boolean hasMore() {
    return !changes.isEmpty() && changes.get(changes.size() - 1).seq() < headSeq;
  }

  /**
   * Whether the changes right after {@code afterSeq} were compacted away, so this page cannot
   * continue from there.
   */
  public boolean compactedAfter(long afterSeq) {
    return afterSeq < horizonSeq;
  }
}
