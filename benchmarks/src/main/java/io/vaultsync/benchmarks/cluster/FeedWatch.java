package io.vaultsync.benchmarks.cluster;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A live subscriber of one server's change feed, straight to that server (not through haproxy): it
 * subscribes from seq 0 and records every seq delivered, in the order delivered, and when each
 * arrived. When its server is killed the subscription ends; {@link #follow} after the restart
 * subscribes again after the last seq heard, as a client does. {@link #problems} counts what broke
 * "each seq once and in order": a seq delivered again or out of order, and every seq up to the head
 * never delivered.
 */
final class FeedWatch implements AutoCloseable {
  private final String target;
  private final String token;
  private final String vault;
  private final List<Long> delivered = new ArrayList<>();
  private final Map<Long, Change> changes = new ConcurrentHashMap<>();
  private final Map<Long, Long> arrivedNanos = new ConcurrentHashMap<>();
  private GrpcVaultTransport transport;
  private Subscription subscription;
  private volatile boolean closed = true;
  private int subscriptions;

  FeedWatch(String target, String token, String vault) {
    this.target = target;
    this.token = token;
    this.vault = vault;
  }

  /** Subscribes (again) after the last seq heard, unless a subscription is open. */
  synchronized void follow() throws IOException {
    if (!closed) {
      return;
    }
    stop();
    transport =
        GrpcVaultTransport.connect(
            target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS);
    long after = lastSeq();
    closed = false;
    int generation = ++subscriptions;
    subscription =
        transport.subscribe(
            vault,
            after,
            new ChangeListener() {
              @Override
              public void onChanges(List<Change> batch, long headSeq) {
                long now = System.nanoTime();
                synchronized (FeedWatch.this) {
                  if (generation != subscriptions) {
                    return; // a subscription this watch closed itself, not the server's doing
                  }
                  for (Change c : batch) {
                    delivered.add(c.seq());
                    changes.putIfAbsent(c.seq(), c);
                    arrivedNanos.putIfAbsent(c.seq(), now);
                  }
                  FeedWatch.this.notifyAll();
                }
              }

              @Override
              public void onClosed(IOException cause) {
                synchronized (FeedWatch.this) {
                  if (generation == subscriptions) {
                    closed = true; // the server went away: follow() again once it is back
                  }
                }
              }
            });
  }

  /** Whether the subscription ended (its server was killed). */
  boolean ended() {
    return closed;
  }

  synchronized long lastSeq() {
    return delivered.isEmpty() ? 0 : delivered.get(delivered.size() - 1);
  }

  /** Waits up to {@code millis} until {@code seq} was delivered; whether it was. */
  synchronized boolean awaitSeq(long seq, long millis) throws InterruptedException {
    long end = System.nanoTime() + millis * 1_000_000;
    while (!arrivedNanos.containsKey(seq)) {
      long left = (end - System.nanoTime()) / 1_000_000;
      if (left <= 0) {
        return false;
      }
      wait(left);
    }
    return true;
  }

  /** When {@code seq} arrived (System.nanoTime), or null. */
  Long arrivedNanos(long seq) {
    return arrivedNanos.get(seq);
  }

  /** Every change delivered, by seq (the first delivery of each). */
  Map<Long, Change> changes() {
    return changes;
  }

  int subscriptions() {
    return subscriptions;
  }

  /**
   * Seqs delivered twice or out of order, plus seqs in 1..{@code headSeq} never delivered.
   *
   * @param headSeq the vault's head when all is done
   */
  synchronized long problems(long headSeq) {
    return problems(delivered, headSeq);
  }

  /**
   * In {@code delivered} (seqs in the order a subscriber got them): seqs delivered again or out of
   * order, plus the seqs in 1..{@code headSeq} never delivered.
   */
  static long problems(List<Long> delivered, long headSeq) {
    long expected = 1;
    long bad = 0;
    for (long s : delivered) {
      if (s == expected) {
        expected++;
      } else if (s < expected) {
        bad++; // again, or out of order
      } else {
        bad += s - expected; // skipped over
        expected = s + 1;
      }
    }
    return bad + Math.max(0, headSeq - (expected - 1));
  }

  private void stop() {
    if (subscription != null) {
      subscription.close();
      subscription = null;
    }
    if (transport != null) {
      try {
        transport.close();
      } catch (IOException e) {
        // its server is gone
      }
      transport = null;
    }
  }

  @Override
  public synchronized void close() {
    closed = true;
    stop();
  }

  @Override
  public String toString() {
    return "feed of " + target + " (" + subscriptions + " subscriptions)";
  }
}
