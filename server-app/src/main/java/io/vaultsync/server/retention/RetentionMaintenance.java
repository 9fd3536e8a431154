package io.vaultsync.server.retention;

import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.GcStats;
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
 * collects garbage and repacks in one rewrite of the content store ({@link
 * PackContentStore#collect}): content no head, version, snapshot or ledger row names any more (what
 * thinning released) is left out, old versions become deltas. Thinning changes vaults' usage, so
 * the {@code afterThinning} hook runs when a pass thinned something (the quotas forget their
 * cache).
 */
public final class RetentionMaintenance {
  private final RetentionStore retention;
  private final LedgerStore ledger;
  private final PackContentStore store;
  private final RetentionPolicy defaults;
  private final Duration repackEvery;
  private final Clock clock;
  private Instant lastRepack;
  private volatile Runnable afterThinning = () -> {};

  /**
   * What one pass did: versions thinned per vault, and the collection with its repack (null: none
   * was due).
   */
  public record Outcome(List<String> thinned, GcStats gc) {
    /** The repack of the pass, or null. */
    public RepackStats repack() {
      return gc == null ? null : gc.repack();
    }
  }

  /** Runs {@code hook} after a pass that thinned versions or collected content. */
  public void afterThinning(Runnable hook) {
    this.afterThinning = Objects.requireNonNull(hook, "hook");
  }

  /**
   * @param store the data folder's packs; null when content lives in an object store, which
   *     collects its own garbage
   * @param repackEvery how often to repack; null: never automatically
   */
  public RetentionMaintenance(
      RetentionStore retention,
      LedgerStore ledger,
      PackContentStore store,
      RetentionPolicy defaults,
      Duration repackEvery,
      Clock clock) {
    this.retention = Objects.requireNonNull(retention, "retention");
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = store;
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
    GcStats gc = null;
    if (repackEvery != null
        && store != null
        && store.packCount() > 0
        && (lastRepack == null || !now.isBefore(lastRepack.plus(repackEvery)))) {
      gc = store.collect(retention::namedContent, retention.deltaPlan());
      lastRepack = now;
    }
    if (!thinned.isEmpty() || gc != null) {
      afterThinning.run();
    }
    return new Outcome(thinned, gc);
  }
}
