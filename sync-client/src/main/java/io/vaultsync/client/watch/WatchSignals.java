package io.vaultsync.client.watch;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the watch loop waits for, from three sources on their own threads: local file events
 * (debounced), the server's change feed (the highest seq seen), and the feed ending. One monitor;
 * {@link #await} hands the loop the next thing to do. Thread-safe.
 */
final class WatchSignals {
  /** The next thing to do. {@code local} are the paths with events since the last batch. */
  record Batch(
      Set<Path> local,
      boolean overflow,
      boolean remote,
      IOException lost,
      boolean stop,
      boolean scanDue) {}

  private final Set<Path> local = new LinkedHashSet<>();
  private boolean overflow;
  private long firstLocalNanos;
  private long lastLocalNanos;
  private long remoteSeq;
  private IOException lost;
  private boolean stop;
  private boolean acceptingRounds;
  private final java.util.List<RoundRequest> asked = new java.util.ArrayList<>();

  synchronized void local(Path relative) {
    if (local.isEmpty() && !overflow) {
      firstLocalNanos = System.nanoTime();
    }
    local.add(relative);
    lastLocalNanos = System.nanoTime();
    notifyAll();
  }

  synchronized void overflow() {
    if (local.isEmpty() && !overflow) {
      firstLocalNanos = System.nanoTime();
    }
    overflow = true;
    lastLocalNanos = System.nanoTime();
    notifyAll();
  }

  /** The feed delivered changes up to {@code seq}. */
  synchronized void remote(long seq) {
    if (seq > remoteSeq) {
      remoteSeq = seq;
      notifyAll();
    }
  }

  /** The highest seq the feed delivered so far. */
  synchronized long remoteSeq() {
    return remoteSeq;
  }

  synchronized void lost(IOException cause) {
    lost = cause;
    notifyAll();
  }

  synchronized void stop() {
    stop = true;
    acceptRounds(false);
    notifyAll();
  }

  /**
   * Queues a round asked from outside; false (nothing queued) when rounds are not accepted now: the
   * watch is not connected, or stopping.
   */
  synchronized boolean ask(RoundRequest request) {
    if (stop || !acceptingRounds) {
      return false;
    }
    asked.add(request);
    notifyAll();
    return true;
  }

  /**
   * Whether rounds asked from outside are queued from now on; {@code false} also cancels those not
   * yet taken, so their askers sync themselves.
   */
  synchronized void acceptRounds(boolean accept) {
    acceptingRounds = accept;
    if (!accept) {
      asked.forEach(r -> r.result().cancel(false));
      asked.clear();
    }
  }

  /**
   * Takes the asked rounds the next round answers: the oldest and every other with the same options
   * (one round serves them all); empty if none is waiting.
   */
  synchronized java.util.List<RoundRequest> takeAsked() {
    if (asked.isEmpty()) {
      return java.util.List.of();
    }
    var options = asked.get(0).options();
    java.util.List<RoundRequest> out =
        asked.stream().filter(r -> r.options().equals(options)).toList();
    asked.removeAll(out);
    return out;
  }

  synchronized boolean stopping() {
    return stop;
  }

  /** Puts paths back after a failed sync, so the next one looks at them again. */
  synchronized void requeue(Batch batch) {
    for (Path p : batch.local()) {
      local(p);
    }
    if (batch.overflow()) {
      overflow();
    }
  }

  /**
   * Waits for the next batch: a stop at once; a lost feed at once; remote changes beyond {@code
   * appliedSeq} at once (taking any local events along: the sync scans the folder anyway); local
   * events once they were quiet for {@code debounce}, or {@code maxDelay} after the first.
   */
  synchronized Batch await(long appliedSeq, Duration debounce, Duration maxDelay)
      throws InterruptedException {
    return await(appliedSeq, debounce, maxDelay, Long.MAX_VALUE, false);
  }

  /**
   * As {@link #await(long, Duration, Duration)}, but when nothing else came by {@code scanDueNanos}
   * ({@link System#nanoTime} scale), an empty batch whose {@code scanDue} is set.
   */
  synchronized Batch await(long appliedSeq, Duration debounce, Duration maxDelay, long scanDueNanos)
      throws InterruptedException {
    return await(appliedSeq, debounce, maxDelay, scanDueNanos, true);
  }

  private Batch await(
      long appliedSeq, Duration debounce, Duration maxDelay, long scanDueNanos, boolean timed)
      throws InterruptedException {
    while (true) {
      if (stop) {
        return new Batch(Set.of(), false, false, null, true, false);
      }
      if (lost != null) {
        IOException cause = lost;
        lost = null;
        return new Batch(Set.of(), false, false, cause, false, false);
      }
      boolean remote = remoteSeq > appliedSeq;
      boolean anyLocal = overflow || !local.isEmpty();
      if (remote || !asked.isEmpty()) {
        // an asked round scans the whole folder: it takes the local events along, undebounced
        return take(remote);
      }
      if (anyLocal) {
        long now = System.nanoTime();
        long due = due(firstLocalNanos, lastLocalNanos, debounce, maxDelay);
        if (now - due >= 0) {
          return take(false);
        }
        long waitNanos = due - now;
        wait(Math.max(1, waitNanos / 1_000_000), (int) (waitNanos % 1_000_000));
      } else if (timed) {
        long left = scanDueNanos - System.nanoTime();
        if (left <= 0) {
          return new Batch(Set.of(), false, false, null, false, true);
        }
        wait(Math.max(1, left / 1_000_000), (int) (left % 1_000_000));
      } else {
        wait();
      }
    }
  }

  /**
   * When local events are due ({@link System#nanoTime} scale): {@code debounce} after the last one,
   * but no later than {@code maxDelay} after the first, so a program that never stops writing is
   * still synced.
   */
  static long due(long firstNanos, long lastNanos, Duration debounce, Duration maxDelay) {
    return Math.min(lastNanos + debounce.toNanos(), firstNanos + maxDelay.toNanos());
  }

  /**
   * Waits {@code d} (unless a stop comes first), then takes the local events that arrived
   * meanwhile, leaving a lost feed, an overflow and remote changes for the next batch.
   */
  synchronized Set<Path> moreLocal(Duration d) throws InterruptedException {
    sleep(d);
    Set<Path> more = Set.copyOf(local);
    local.clear();
    return more;
  }

  /** Waits up to {@code d} unless a stop comes first; true if stopping. */
  synchronized boolean sleep(Duration d) throws InterruptedException {
    long end = System.nanoTime() + d.toNanos();
    while (!stop) {
      long left = end - System.nanoTime();
      if (left <= 0) {
        return false;
      }
      wait(Math.max(1, left / 1_000_000));
    }
    return true;
  }

  private Batch take(boolean remote) {
    Batch b = new Batch(Set.copyOf(local), overflow, remote, null, false, false);
    local.clear();
    overflow = false;
    return b;
  }
}
