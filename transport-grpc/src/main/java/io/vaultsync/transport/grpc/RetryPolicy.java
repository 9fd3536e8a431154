package io.vaultsync.transport.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GrpcVaultTransport} retries a call that failed on the connection ({@link
 * io.vaultsync.protocol.ConnectionLostException}, {@link
 * io.vaultsync.protocol.RemoteStalledException}), for the calls that are safe to repeat (see {@link
 * GrpcVaultTransport}). A server that was never reached is not retried: the address is likely wrong
 * or the server down, and saying so at once is better than after a minute.
 *
 * @param maxAttempts tries per call, the first included (1: no retry); a try that made progress (a
 *     batched fetch that finished items before the cut) starts the count again
 * @param firstBackoff wait before the first retry; each further retry waits twice as long (with
 *     jitter: between half and all of it), up to {@code maxBackoff}
 * @param maxBackoff longest wait between two tries
 * @param budget the most time one transport (one command) spends in failed tries and waits; once
 *     spent, a failure is final, so a flapping connection cannot keep a command running forever
 */
public record RetryPolicy(
    int maxAttempts, Duration firstBackoff, Duration maxBackoff, Duration budget) {
  /**
   * 5 tries per call, waits of 0.5, 1, 2 and 4 s (so a server that restarts within about 4 to 7 s
   * is reached again), at most 2 minutes of failures per transport.
   */
  public static final RetryPolicy DEFAULTS =
      new RetryPolicy(5, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofMinutes(2));

  /** No retry: every failure is final. */
  public static final RetryPolicy NONE =
      new RetryPolicy(1, Duration.ZERO, Duration.ZERO, Duration.ZERO);

  public RetryPolicy {
    Objects.requireNonNull(firstBackoff, "firstBackoff");
    Objects.requireNonNull(maxBackoff, "maxBackoff");
    Objects.requireNonNull(budget, "budget");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts " + maxAttempts + "; expected >= 1");
    }
    if (firstBackoff.isNegative() || maxBackoff.compareTo(firstBackoff) < 0) {
      throw new IllegalArgumentException(
          "backoff from " + firstBackoff + " to " + maxBackoff + "; expected 0 <= first <= max");
    }
    if (budget.isNegative()) {
      throw new IllegalArgumentException("retry budget " + budget + "; expected >= 0");
    }
  }

  /** The wait before retry number {@code retry} (1 for the first), before jitter. */
  Duration backoff(int retry) {
    if (retry < 1) {
      throw new IllegalArgumentException("retry " + retry + "; expected >= 1");
    }
    Duration d = firstBackoff;
    for (int i = 1; i < retry && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }
}
