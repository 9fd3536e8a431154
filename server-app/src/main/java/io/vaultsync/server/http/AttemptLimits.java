package io.vaultsync.server.http;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Where the HTTP endpoint gets its {@link AttemptLimiter}s: {@link #inMemory} counts in this
 * process (the embedded server); a server of several processes passes limiters that count in the
 * database they share, so a client cannot escape a limit by reaching another process. Each limiter
 * has its own {@code name} ({@code "login-address"}, {@code "login-all"}, {@code "share-address"},
 * {@code "share-id"}), so a shared store keeps their counts apart.
 */
@FunctionalInterface
public interface AttemptLimits {
  /**
   * The limiter named {@code name}: at most {@code max} attempts per key per {@code window}. Asked
   * once per name when the endpoint starts.
   */
  AttemptLimiter limiter(String name, int max, Duration window);

  /** Limiters in this process's memory, counting time on {@code clock}. */
  static AttemptLimits inMemory(Clock clock) {
    Objects.requireNonNull(clock, "clock");
    return (name, max, window) -> AttemptLimiter.inMemory(max, window, clock);
  }
}
