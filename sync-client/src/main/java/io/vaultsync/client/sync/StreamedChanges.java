package io.vaultsync.client.sync;

import io.vaultsync.protocol.Change;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The changes a subscription streamed, kept so that the next sync cycle applies them instead of
 * reading them from the server again ({@link Syncer#streaming}). It holds every change after seq
 * {@code from} up to the last one streamed, consecutive (the feed promises no gap and no duplicate;
 * a delivery that does not follow on is taken as a restart: everything held is dropped). At most
 * {@value #MAX_CHANGES} changes are held: past that it drops them and the next cycle reads from the
 * server, as it would without a stream.
 *
 * <p>A cycle folds the held changes only in its first round and only when they cover everything
 * after the index's seq; any other round (after stale refusals, when the server may know more than
 * it streamed so far) asks the server. Content the server asks back ({@code ChangePage.wanted}) is
 * not streamed: full cycles (on connect and every few minutes) still read it.
 *
 * <p>Thread-safe: the subscription's thread adds, the sync thread reads.
 */
public final class StreamedChanges {
  static final int MAX_CHANGES = 10_000;

  private final ArrayDeque<Change> held = new ArrayDeque<>();
  private long from = Long.MAX_VALUE; // nothing held until a subscription starts
  private long last = Long.MAX_VALUE;

  /** A subscription starts after {@code afterSeq}: what was held before is dropped. */
  public synchronized void restart(long afterSeq) {
    held.clear();
    from = afterSeq;
    last = afterSeq;
  }

  /**
   * The subscription delivered {@code changes} (consecutive seqs). The vault's head then ({@code
   * headSeq}) is not used: a view is only ever as far as the last change held, never at a seq whose
   * change it has not seen.
   */
  public synchronized void add(List<Change> changes, long headSeq) {
    if (changes.isEmpty() || from == Long.MAX_VALUE) {
      return;
    }
    long first = changes.get(0).seq();
    long end = changes.get(changes.size() - 1).seq();
    if (first != last + 1 || held.size() + changes.size() > MAX_CHANGES) {
      held.clear(); // not a continuation, or too many: know nothing before `end`
      from = end;
      last = end;
      return;
    }
    held.addAll(changes);
    last = end;
  }

  /**
   * The changes after {@code seq} (oldest first) up to the last one held, or null when what is held
   * does not cover them all: {@code seq} is before the first held change or after the last. Changes
   * at or before {@code seq} are dropped (the index will not go back past them; a reread index that
   * does gets null).
   */
  synchronized ChangesAfter after(long seq) {
    if (from == Long.MAX_VALUE || seq < from || seq > last) {
      return null;
    }
    while (!held.isEmpty() && held.peekFirst().seq() <= seq) {
      held.pollFirst();
    }
    from = seq;
    return new ChangesAfter(new ArrayList<>(held), last);
  }
}
