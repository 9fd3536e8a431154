package io.vaultsync.server.snapshot;

import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.concurrent.Daemons;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link SnapshotMaintenance} on a daemon thread every {@link SnapshotPolicy#tick()} (at most
 * 10 minutes, so a server restarted often still snapshots on time: the decision looks at the newest
 * snapshot's time, not at when the server started). A failed pass is logged and retried at the next
 * tick.
 */
public final class SnapshotScheduler implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(SnapshotScheduler.class);

  private final SnapshotMaintenance maintenance;
  private final SnapshotPolicy policy;
  private final Leases leases;
  private final ScheduledExecutorService timer = Daemons.timer("vaultsync-snapshots");

  public SnapshotScheduler(SnapshotMaintenance maintenance, SnapshotPolicy policy) {
    this(maintenance, policy, Leases.alone());
  }

  /**
   * A scheduler whose passes run only while this process holds the lease {@value #LEASE} (one
   * process of a server runs them; another takes over within three ticks of its death).
   */
  public SnapshotScheduler(SnapshotMaintenance maintenance, SnapshotPolicy policy, Leases leases) {
    this.maintenance = Objects.requireNonNull(maintenance, "maintenance");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.leases = Objects.requireNonNull(leases, "leases");
  }

  /** The lease of snapshot passes. */
  public static final String LEASE = "snapshots";

  /** Starts the ticks; the first one runs after one tick. */
  public void start() {
    long tick = policy.tick().toMillis();
    timer.scheduleWithFixedDelay(this::pass, tick, tick, TimeUnit.MILLISECONDS);
  }

  private void pass() {
    try {
      if (!leases.hold(LEASE, policy.tick().multipliedBy(3))) {
        return; // another process of this server takes the snapshots
      }
      for (SnapshotMaintenance.Outcome o : maintenance.runOnce()) {
        if (o.taken() != null) {
          log.info(
              "snapshot of vault {} at seq {}: {} files, root {}",
              o.vault(),
              o.taken().seq(),
              o.taken().files(),
              o.taken().root().hex());
        }
        if (o.compaction() != null && o.compaction().rowsDeleted() > 0) {
          log.info("{}", o.compaction().summary());
        }
      }
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("snapshot pass failed (retried in {}): {}", policy.tick(), e.toString());
    }
  }

  @Override
  public void close() {
    Daemons.stop(timer, Duration.ofSeconds(30)); // a pass in progress finishes its transaction
  }
}
