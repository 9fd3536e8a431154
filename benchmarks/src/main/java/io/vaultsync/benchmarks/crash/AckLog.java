package io.vaultsync.benchmarks.crash;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.util.List;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every change a server acknowledged, as its change feed told an observer: the server publishes a
 * change only after the ledger transaction that holds it is durable (the same point where it
 * answers the client), so whatever this log heard must survive any crash. Resubscribe after each
 * restart ({@link #follow}); the feed replays what was missed from the last seq heard.
 */
final class AckLog {
  private final NavigableMap<Long, Change> heard = new ConcurrentSkipListMap<>();
  private Subscription subscription;

  /** Follows {@code vault}'s feed on {@code transport} from the last seq heard. */
  void follow(VaultTransport transport, String vault) throws IOException {
    stop();
    long after = heard.isEmpty() ? 0 : heard.lastKey();
    subscription =
        transport.subscribe(
            vault,
            after,
            new ChangeListener() {
              @Override
              public void onChanges(List<Change> changes, long headSeq) {
                for (Change c : changes) {
                  heard.put(c.seq(), c);
                }
              }

              @Override
              public void onClosed(IOException cause) {
                // the server was killed or stopped: follow again after the restart
              }
            });
  }

  /** The highest seq heard (0: none). */
  long lastSeq() {
    return heard.isEmpty() ? 0 : heard.lastKey();
  }

  /** Every change heard, by seq. */
  NavigableMap<Long, Change> heard() {
    return heard;
  }

  void stop() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
  }
}
