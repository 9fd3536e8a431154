package io.vaultsync.server.app;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.server.retention.RetentionPolicy;
import io.vaultsync.server.snapshot.SnapshotPolicy;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything {@code vaultsync server} runs with, checked: what {@link ServerCommand} made of its
 * options and {@link ServerRun} starts.
 *
 * @param config the data folder, the RPC address and TLS
 * @param http the HTTP endpoint, or null for none
 * @param snapshots when to take and keep snapshots and compact the ledger
 * @param retention the default retention policy (a vault's own overrides it)
 * @param repackEvery how often to repack, or null for never automatically
 * @param deleteLimits the mass-delete limits of a commit
 * @param storageLimits the largest file and the default vault quota
 * @param storage the database and object store this process shares with the server's others; null:
 *     everything in the data folder (the embedded default)
 */
record ServerSettings(
    ServerConfig config,
    HttpSettings http,
    SnapshotPolicy snapshots,
    RetentionPolicy retention,
    Duration repackEvery,
    DeleteLimits deleteLimits,
    StorageLimits storageLimits,
    StorageSettings storage) {
  ServerSettings {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(snapshots, "snapshots");
    Objects.requireNonNull(retention, "retention");
    Objects.requireNonNull(deleteLimits, "deleteLimits");
    Objects.requireNonNull(storageLimits, "storageLimits");
  }
}
