package io.vaultsync.server.vault;

import io.vaultsync.protocol.rules.RecentDeletes;
import io.vaultsync.server.cluster.ChangeSignals;
import java.util.Objects;

/**
 * What the vaults of one server process share with the other processes of the same server, or keep
 * alone: each vault's write lock, the recent changes the feed answers from memory, the deletes in
 * the mass-delete window, the signals between change feeds, and whether this process writes the
 * master folders now.
 *
 * <p>{@link #alone()} is the embedded server: locks, recent changes and deletes in memory, no
 * signals, master folders. A server of several processes shares locks and deletes through its
 * database, keeps no recent changes (another process's commit would leave a hole in them: its feed
 * reads the ledger), hears the others' commits through {@link ChangeSignals}, and writes master
 * folders only while it holds their lease ({@link FolderOwnership}).
 */
public record Coordination(
    VaultLocks locks,
    ChangeCache cache,
    RecentDeletes deletes,
    ChangeSignals signals,
    FolderOwnership folders) {
  public Coordination {
    Objects.requireNonNull(locks, "locks");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(deletes, "deletes");
    Objects.requireNonNull(signals, "signals");
    Objects.requireNonNull(folders, "folders");
  }

  /** One server process alone. */
  public static Coordination alone() {
    return new Coordination(
        VaultLocks.inProcess(),
        ChangeCache.inMemory(ServerVaults.RECENT_CHANGES),
        RecentDeletes.inMemory(),
        ChangeSignals.none(),
        FolderOwnership.ALWAYS);
  }

  /**
   * One of several processes sharing {@code locks}, {@code deletes} and {@code signals}, writing
   * the master folders while {@code folders} says so.
   */
  public static Coordination shared(
      VaultLocks locks, RecentDeletes deletes, ChangeSignals signals, FolderOwnership folders) {
    return new Coordination(locks, ChangeCache.none(), deletes, signals, folders);
  }
}
