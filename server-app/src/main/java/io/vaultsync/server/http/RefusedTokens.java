package io.vaultsync.server.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The device tokens the browser face's callers had refused, counted per client address by an {@link
 * AttemptLimiter} (the sign-in one, so a token guessed on this path and on {@code /login} counts
 * once), and the addresses over the limit, refused here until the limiter's window lets them try
 * again. The counts live where the limiter keeps them (in the shared database on a server of
 * several processes); which addresses are refused now is remembered in this process, at most
 * {@value #MAX_BLOCKED} of them. Thread-safe.
 */
final class RefusedTokens {
  /** Most addresses remembered as over the limit. */
  static final int MAX_BLOCKED = 10_000;

  private final AttemptLimiter limiter;
  private final Map<String, Long> blockedUntil =
      new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > MAX_BLOCKED;
        }
      };

  RefusedTokens(AttemptLimiter limiter) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  /** Seconds {@code address} must wait before its next call, or 0. */
  synchronized long waitSeconds(String address) {
    Long until = blockedUntil.get(address);
    if (until == null) {
      return 0;
    }
    long left = until - System.nanoTime();
    if (left <= 0) {
      blockedUntil.remove(address);
      return 0;
    }
    return Math.max(1, (left + 999_999_999L) / 1_000_000_000L);
  }

  /**
   * Counts a refused token from {@code address}; returns the seconds to wait when that put the
   * address over the limit, else 0.
   */
  long count(String address) {
    long wait = limiter.tryAcquire(address);
    if (wait > 0) {
      synchronized (this) {
        blockedUntil.put(address, System.nanoTime() + wait * 1_000_000_000L);
      }
    }
    return wait;
  }
}
