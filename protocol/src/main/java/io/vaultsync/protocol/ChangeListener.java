package io.vaultsync.protocol;

import java.io.IOException;
import java.util.List;

/**
 * Receives a vault's changes as the remote records them (see {@link VaultTransport#subscribe}).
 * Calls for one subscription never overlap and arrive in order.
 */
public interface ChangeListener {
  /**
   * The next changes: the first has the seq right after the last one delivered (or after the
   * subscription's {@code afterSeq}), and seqs are consecutive; never empty.
   *
   * @param headSeq the vault's latest seq when these were read (at least the last change's)
   */
  void onChanges(List<Change> changes, long headSeq);

  /**
   * Whether the listener can take another delivery now. A listener that must not block (it forwards
   * to a network stream whose client reads slowly) says no; the feed then stops delivering to it,
   * without holding a thread, until {@link Subscription#resume()}. Default: always.
   */
  default boolean ready() {
    return true;
  }

  /**
   * The subscription ended without the subscriber closing it: the remote went away ({@link
   * RemoteUnavailableException}), the changes after the last delivered seq are no longer in the
   * ledger or the remote's head is behind it ({@link FeedGapException}: sync from the manifest,
   * then subscribe again), or another failure. Never called after {@link Subscription#close()}.
   */
  void onClosed(IOException cause);
}
