package io.vaultsync.server.auth;

import io.vaultsync.server.concurrent.Daemons;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a check every {@link #EVERY} on a daemon thread, to end what revoked device tokens still
 * hold open (gRPC calls, above all Subscribe streams; HTTP sessions). A token is revoked by {@code
 * vaultsync server token revoke}, another process writing the same SQLite database, so the server
 * cannot be told: it looks. Looking costs one indexed query per device with open calls (or one read
 * of the small token table), so 2 s is cheap; a failed check is logged and tried again.
 */
public final class RevocationWatch implements AutoCloseable {
  /** How often to look: a revoked device stops receiving within this (plus a query). */
  public static final Duration EVERY = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(RevocationWatch.class);

  private final ScheduledExecutorService timer = Daemons.timer("vaultsync-revocations");

  /** A check; exceptions are logged, not fatal. */
  @FunctionalInterface
  public interface Check {
    void run() throws Exception;
  }

  /** Starts running {@code check} every {@code every}. */
  public RevocationWatch(Duration every, Check check) {
    Objects.requireNonNull(check, "check");
    if (every.isNegative() || every.isZero()) {
      throw new IllegalArgumentException("revocation check every " + every + "; expected > 0");
    }
    long ms = Math.max(1, every.toMillis());
    timer.scheduleWithFixedDelay(
        () -> {
          try {
            check.run();
          } catch (Exception e) {
            log.warn("checking for revoked device tokens failed (retried): {}", e.toString());
          }
        },
        ms,
        ms,
        TimeUnit.MILLISECONDS);
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
