package io.vaultsync.transport.grpc;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Gives up on a streaming call the server has stopped feeding. The caller marks when it starts
 * waiting on the server ({@link #waiting}: before asking for the next message, or while the network
 * has no room for the next chunk) and when the wait ended ({@link #progressed}); a check that runs
 * every eighth of the timeout runs {@code onStall} once if one wait has lasted the whole timeout.
 * Time the client spends on its own work (writing a file, fsyncing a batch) never counts: a slow
 * disk is not a stalled server.
 *
 * <p>One daemon thread serves every watchdog of the JVM; a check is a few field reads. Thread-safe.
 */
final class StallWatchdog implements AutoCloseable {
  private static final ScheduledThreadPoolExecutor TIMER = timer();

  private final long timeoutNanos;
  private final Duration timeout;
  private final Runnable onStall;
  private final ScheduledFuture<?> check;
  private long waitingSince;
  private boolean waiting;
  private boolean fired;

  /** Starts watching; {@code onStall} (which must not block) cancels the call. */
  StallWatchdog(Duration timeout, Runnable onStall) {
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.timeoutNanos = timeout.toNanos();
    this.onStall = Objects.requireNonNull(onStall, "onStall");
    long period = Math.max(timeoutNanos / 8, TimeUnit.MILLISECONDS.toNanos(10));
    this.check = TIMER.scheduleWithFixedDelay(this::check, period, period, TimeUnit.NANOSECONDS);
  }

  private static ScheduledThreadPoolExecutor timer() {
    ScheduledThreadPoolExecutor t =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread thread = new Thread(r, "vaultsync-stall-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    t.setRemoveOnCancelPolicy(true);
    return t;
  }

  /** The client now waits on the server. */
  synchronized void waiting() {
    if (!waiting) {
      waiting = true;
      waitingSince = System.nanoTime();
    }
  }

  /** The wait ended: a message came, or the network took a chunk. */
  synchronized void progressed() {
    waiting = false;
  }

  /** Whether {@code onStall} ran. */
  synchronized boolean fired() {
    return fired;
  }

  /** The timeout this watchdog enforces. */
  Duration timeout() {
    return timeout;
  }

  private void check() {
    synchronized (this) {
      if (fired || !waiting || System.nanoTime() - waitingSince < timeoutNanos) {
        return;
      }
      fired = true;
    }
    check.cancel(false);
    onStall.run();
  }

  /** Stops watching (the call is over). */
  @Override
  public void close() {
    check.cancel(false);
  }
}
