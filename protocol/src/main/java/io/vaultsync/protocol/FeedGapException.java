package io.vaultsync.protocol;

/**
 * A change feed cannot continue from the seq a subscriber asked for: the ledger no longer holds the
 * changes right after it (compacted), or the remote's head is behind it (restored from a backup).
 * The subscriber syncs from the manifest and subscribes again from the seq that gives it.
 */
public final class FeedGapException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final long afterSeq;

  public FeedGapException(String vault, long afterSeq, String why) {
    super("cannot stream changes of vault \"" + vault + "\" after seq " + afterSeq + ": " + why);
    this.afterSeq = afterSeq;
  }

  /** The seq the feed could not continue from. */
  public long afterSeq() {
    return afterSeq;
  }
}
