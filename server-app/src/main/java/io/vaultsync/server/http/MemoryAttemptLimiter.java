package io.vaultsync.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An {@link AttemptLimiter} in this process's memory. Memory is bounded: at most {@value #MAX_KEYS}
 * keys are tracked (idle ones are dropped first; past that the oldest go). Thread-safe.
 */
final class MemoryAttemptLimiter implements AttemptLimiter {
  /** Most keys tracked at once. */
  static final int MAX_KEYS = 100_000;

  private final int max;
  private final Duration window;
  private final Clock clock;
  private final Map<String, ArrayDeque<Long>> attempts = new HashMap<>();

  MemoryAttemptLimiter(int max, Duration window, Clock clock) {
    if (max < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "limit of " + max + " attempts per " + window + "; expected >= 1 per positive window");
    }
    this.max = max;
    this.window = window;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
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
