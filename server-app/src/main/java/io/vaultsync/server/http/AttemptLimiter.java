package io.vaultsync.server.http;

import java.time.Clock;
import java.time.Duration;

/**
 * Counts attempts per key (a client address, a share) in a sliding window and refuses more than a
 * maximum per window: what keeps share passwords from being guessed online. {@link #inMemory}
 * counts in this process; a server of several processes (issue 14) counts where all of them see the
 * attempts. Thread-safe.
 */
public interface AttemptLimiter {
  /**
   * Records an attempt for {@code key} if the key is under its limit.
   *
   * @return 0 if the attempt may go ahead, else the seconds until one may (for {@code Retry-After})
   */
  long tryAcquire(String key);

  /** At most {@code max} attempts per key per {@code window}, counted in this process's memory. */
  static AttemptLimiter inMemory(int max, Duration window, Clock clock) {
    return new MemoryAttemptLimiter(max, window, clock);
  }
}
