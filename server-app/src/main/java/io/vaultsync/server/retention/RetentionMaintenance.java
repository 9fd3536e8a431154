package io.vaultsync.server.retention;

import io.vaultsync.core.transport.VaultInfo;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.store.RepackStats;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One retention pass: thins every vault's versions by its policy (its own, else the server's
 * default), then, when {@code repackEvery} has passed since the last repack of this process,
 * repacks the content store with old versions as deltas. Content is never deleted: thinned
 * versions' content stays in the store (see server-app/README.md, "Retention").
 */
public final class RetentionMaintenance {
  private final SqliteRetentionStore retention;
  private final LedgerStore ledger;
  private final PackContentStore store;
  private final RetentionPolicy defaults;
  private final Duration repackEvery;
  private final Clock clock;
  private Instant lastRepack;

  /** What one pass did: versions thinned per vault, and the repack (null: none was due). */
  public record Outcome(List<String> thinned, RepackStats repack) {}

  /**
   * @param repackEvery how often to repack; null: never automatically
   */
  public RetentionMaintenance(
      SqliteRetentionStore retention,
      LedgerStore ledger,
      PackContentStore store,
      RetentionPolicy defaults,
      Duration repackEvery,
      Clock clock) {
    this.retention = Objects.requireNonNull(retention, "retention");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.defaults = Objects.requireNonNull(defaults, "defaults");
    this.repackEvery = repackEvery;
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  public synchronized Outcome runOnce() throws IOException {
    Instant now = clock.instant();
    List<String> thinned = new ArrayList<>();
    for (VaultInfo info : ledger.vaults()) {
      VaultName vault = VaultName.of(info.name());
      RetentionPolicy policy = retention.policy(vault).orElse(defaults);
      int n = retention.thin(vault, now, policy);
      if (n > 0) {
        thinned.add(vault + ": " + n + " versions thinned (" + policy.describe() + ")");
      }
    }
    RepackStats repack = null;
    if (repackEvery != null
        && store.packCount() > 1
        && (lastRepack == null || !now.isBefore(lastRepack.plus(repackEvery)))) {
      repack = store.repack(retention.deltaPlan());
      lastRepack = now;
    }
    return new Outcome(thinned, repack);
  }
}
