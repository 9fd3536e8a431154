package io.vaultsync.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Counts attempts per key (a client address, a share) in a sliding window and refuses more than
 * {@code max} per window: what keeps share passwords from being guessed online. Memory is bounded:
 * at most {@value #MAX_KEYS} keys are tracked (idle ones are dropped first; past that the oldest
 * go). Thread-safe.
 */
public final class AttemptLimiter {
  /** Most keys tracked at once. */
  static final int MAX_KEYS = 100_000;

  private final int max;
  private final Duration window;
  private final Clock clock;
  private final Map<String, ArrayDeque<Long>> attempts = new HashMap<>();

  public AttemptLimiter(int max, Duration window, Clock clock) {
    if (max < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "limit of " + max + " attempts per " + window + "; expected >= 1 per positive window");
    }
    this.max = max;
    this.window = window;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Records an attempt for {@code key} if the key is under its limit.
   *
   * @return 0 if the attempt may go ahead, else the seconds until one may (for {@code Retry-After})
   */
  public synchronized long tryAcquire(String key) {
    long now = clock.millis();
    long horizon = now - window.toMillis();
    if (attempts.size() >= MAX_KEYS) {
      attempts.values().removeIf(q -> q.isEmpty() || q.peekLast() <= horizon);
      if (attempts.size() >= MAX_KEYS) {
        attempts.clear();
      }
    }
    ArrayDeque<Long> q = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
    while (!q.isEmpty() && q.peekFirst() <= horizon) {
      q.pollFirst();
    }
    if (q.size() >= max) {
      long waitMillis = q.peekFirst() + window.toMillis() - now;
      return Math.max(1, (waitMillis + 999) / 1000);
    }
    q.addLast(now);
    return 0;
  }
}
