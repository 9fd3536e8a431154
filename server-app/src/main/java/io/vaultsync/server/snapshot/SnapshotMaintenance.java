package io.vaultsync.server.snapshot;

import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.SnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.vault.ServerVaults;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One pass of the snapshot policy over every vault: take a snapshot when the newest is older than
 * the interval and the head moved, drop snapshots beyond the kept count, and, when automatic
 * compaction is on, compact the ledger rows older than its age (never past the oldest kept
 * snapshot). Each step is its own SQLite transaction, so a pass is safe beside writes.
 */
public final class SnapshotMaintenance {
  private final ServerVaults vaults;
  private final SnapshotStore snapshots;
  private final SnapshotPolicy policy;
  private final Clock clock;

  /**
   * A pass over {@code vaults}, whose snapshots live in {@code snapshots}; compaction goes through
   * {@link ServerVaults#compact} so the server's answers from memory honour the new horizon.
   */
  public SnapshotMaintenance(
      ServerVaults vaults, SnapshotStore snapshots, SnapshotPolicy policy, Clock clock) {
    this.vaults = Objects.requireNonNull(vaults, "vaults");
    this.snapshots = Objects.requireNonNull(snapshots, "snapshots");
    this.policy = Objects.requireNonNull(policy, "policy");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** What one pass did to one vault. */
  public record Outcome(VaultName vault, SnapshotInfo taken, int pruned, Compaction compaction) {}

  /** Runs the policy once over every vault. */
  public List<Outcome> runOnce() throws IOException {
    List<Outcome> out = new ArrayList<>();
    for (VaultInfo v : vaults.listVaults()) {
      out.add(run(VaultName.of(v.name()), v.headSeq()));
    }
    return out;
  }

  private Outcome run(VaultName vault, long headSeq) throws IOException {
    Instant now = clock.instant();
    SnapshotInfo taken = null;
    if (!policy.every().isZero() && headSeq > 0) {
      List<SnapshotInfo> kept = snapshots.list(vault);
      SnapshotInfo newest = kept.isEmpty() ? null : kept.get(kept.size() - 1);
      if (newest == null
          || (newest.seq() < headSeq && !newest.time().plus(policy.every()).isAfter(now))) {
        taken = snapshots.take(vault, now);
      }
    }
    int pruned = snapshots.prune(vault, policy.keep());
    Compaction compaction =
        policy.compactAfter() == null
            ? null
            : vaults.compact(vault, now.minus(policy.compactAfter()));
    return new Outcome(vault, taken, pruned, compaction);
  }
}
