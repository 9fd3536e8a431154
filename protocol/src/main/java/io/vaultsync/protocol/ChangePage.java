package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
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
 * @param wanted content of the vault's head that the remote lacks (lost or found damaged) and asks
 *     devices to give back ({@link VaultTransport#giveBack}); empty in the usual case, at most
 *     {@link Limits#WANTED_PER_PAGE}
 */
public record ChangePage(
    List<Change> changes, long headSeq, long horizonSeq, List<ContentHash> wanted) {
  public ChangePage {
    changes = List.copyOf(changes);
    wanted = List.copyOf(wanted);
    if (wanted.size() > Limits.WANTED_PER_PAGE) {
      throw new IllegalArgumentException(
          "change page wanting " + wanted.size() + " contents; at most " + Limits.WANTED_PER_PAGE);
    }
    if (horizonSeq < 0 || horizonSeq > headSeq) {
      throw new IllegalArgumentException(
          "change page with horizon seq "
              + horizonSeq
              + " and head seq "
              + headSeq
              + "; expected 0 <= horizon <= head");
    }
  }

  /** A page that wants nothing back. */
  public ChangePage(List<Change> changes, long headSeq, long horizonSeq) {
    this(changes, headSeq, horizonSeq, List.of());
  }

  /** A page of a ledger that was never compacted. */
  public ChangePage(List<Change> changes, long headSeq) {
    this(changes, headSeq, 0);
  }

  /** This page asking for {@code wanted} back. */
  public ChangePage withWanted(List<ContentHash> wanted) {
    return new ChangePage(changes, headSeq, horizonSeq, wanted);
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
