package io.vaultsync.server.retention;

import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.concurrent.Daemons;
import io.vaultsync.server.store.GarbageCollecting;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The garbage collection of a content store kept outside the data folder ({@link
 * GarbageCollecting}: the S3 store), run by one process of the server at a time under the lease
 * {@value #LEASE}: every {@link RetentionScheduler#TICK} it deletes orphans (uploads that never
 * committed, past the store's grace) and, every {@code collectEvery} (the server's {@code
 * --repack-every}; null: never automatically), drops the content no record names any more. A failed
 * pass is logged and retried at the next tick.
 */
public final class ObjectStoreGc implements AutoCloseable {
  /** The lease of the object store's garbage collection. */
  public static final String LEASE = "object-gc";

  private static final Logger log = LoggerFactory.getLogger(ObjectStoreGc.class);

  private final GarbageCollecting store;
  private final RetentionStore retention;
  private final Leases leases;
  private final Duration collectEvery;
  private final Clock clock;
  private final ScheduledExecutorService timer = Daemons.timer("vaultsync-object-gc");
  private Instant lastCollect;

  public ObjectStoreGc(
      GarbageCollecting store,
      RetentionStore retention,
      Leases leases,
      Duration collectEvery,
      Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.retention = Objects.requireNonNull(retention, "retention");
    this.leases = Objects.requireNonNull(leases, "leases");
    this.collectEvery = collectEvery;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Starts the ticks; the first one runs after one tick. */
  public void start() {
    long tick = RetentionScheduler.TICK.toMillis();
    timer.scheduleWithFixedDelay(this::pass, tick, tick, TimeUnit.MILLISECONDS);
  }

  /** One pass (the timer's; tests call it). */
  synchronized void pass() {
    try {
      if (!leases.hold(LEASE, RetentionScheduler.TICK.multipliedBy(3))) {
        return; // another process of this server collects
      }
      log.info("object store: {}", store.sweepOrphans());
      Instant now = clock.instant();
      if (collectEvery != null
          && (lastCollect == null || !now.isBefore(lastCollect.plus(collectEvery)))) {
        log.info("object store: {}", store.collectGarbage(retention::namedContent));
        lastCollect = now;
      }
    } catch (IOException | RuntimeException e) {
      log.warn(
          "object store garbage collection failed (retried in {}): {}",
          RetentionScheduler.TICK,
          e.toString());
    }
  }

  @Override
  public void close() {
    Daemons.stop(timer, Duration.ofSeconds(60));
  }
}
