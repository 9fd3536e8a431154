package io.vaultsync.client.watch;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * Reconnect delays: exponential from {@code min} to {@code max}, each drawn uniformly from the
 * upper half of the current step ("equal jitter"), so a thousand clients cut off by one server
 * restart do not all come back in the same millisecond. Not thread-safe.
 */
final class Backoff {
  private final long minNanos;
  private final long maxNanos;
  private final SplittableRandom random;
  private long step;

  Backoff(Duration min, Duration max, long seed) {
    this.minNanos = min.toNanos();
    this.maxNanos = max.toNanos();
    this.random = new SplittableRandom(seed); // mixes its seed: nearby seeds diverge at once
    this.step = minNanos;
  }

  /** The wait before the next attempt; each call doubles the step up to the maximum. */
  Duration next() {
    long half = step / 2;
    long delay = half + (long) (random.nextDouble() * (step - half));
    step = Math.min(maxNanos, step > maxNanos / 2 ? maxNanos : step * 2);
    return Duration.ofNanos(Math.max(delay, 1));
  }

  /** After a success: the next failure waits the minimum again. */
  void reset() {
    step = minNanos;
  }
}
