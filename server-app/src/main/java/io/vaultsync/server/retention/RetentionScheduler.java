package io.vaultsync.server.retention;

import io.vaultsync.server.cluster.Leases;
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

  /** The lease of retention passes (thinning, content GC, repack). */
  public static final String LEASE = "retention";

  private final Leases leases;
  private final ScheduledExecutorService timer = Daemons.timer("vaultsync-retention");

  public RetentionScheduler(RetentionMaintenance maintenance) {
    this(maintenance, Leases.alone());
  }

  /**
   * A scheduler whose passes run only while this process holds the lease {@value #LEASE} (one
   * process of a server runs them; another takes over within three ticks of its death).
   */
  public RetentionScheduler(RetentionMaintenance maintenance, Leases leases) {
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
    this.leases = Objects.requireNonNull(leases, "leases");
  }

  public void start() {
    long tick = TICK.toMillis();
    timer.scheduleWithFixedDelay(this::pass, tick, tick, TimeUnit.MILLISECONDS);
  }

  private void pass() {
    try {
      if (!leases.hold(LEASE, TICK.multipliedBy(3))) {
        return; // another process of this server runs retention
      }
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
