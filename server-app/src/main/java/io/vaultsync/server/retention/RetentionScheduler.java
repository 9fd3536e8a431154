package io.vaultsync.server.retention;

import io.vaultsync.server.concurrent.Daemons;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link RetentionMaintenance} on a daemon thread every {@link #TICK} (the first pass one tick
 * after start). A failed pass is logged and retried at the next tick.
 */
public final class RetentionScheduler implements AutoCloseable {
  /** How often a pass runs: thinning works in hours, so an hour is fine-grained enough. */
  public static final Duration TICK = Duration.ofHours(1);

  private static final Logger log = LoggerFactory.getLogger(RetentionScheduler.class);

  private final RetentionMaintenance maintenance;
  private final ScheduledExecutorService timer = Daemons.timer("vaultsync-retention");

  public RetentionScheduler(RetentionMaintenance maintenance) {
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
  }

  public void start() {
    long tick = TICK.toMillis();
    timer.scheduleWithFixedDelay(this::pass, tick, tick, TimeUnit.MILLISECONDS);
  }

  private void pass() {
    try {
      RetentionMaintenance.Outcome o = maintenance.runOnce();
      o.thinned().forEach(t -> log.info("retention: {}", t));
      if (o.gc() != null) {
        log.info("{}", o.gc().summary());
      }
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("retention pass failed (retried in {}): {}", TICK, e.toString());
    }
  }

  @Override
  public void close() {
    // a pass in progress finishes (a repack is crash-safe anyway)
    Daemons.stop(timer, Duration.ofSeconds(60));
  }
}
