package io.vaultsync.client.sync;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.protocol.DeleteLimits;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What one sync of one folder works with, the same in each of its rounds: the parameter object of
 * {@link Syncer}'s rounds and of each round's {@link SyncExecutor}. The tally is the one mutable
 * part (the counts of all rounds).
 *
 * @param folder the folder as the caller named it (for messages)
 * @param root the folder's real path
 * @param state the folder's state ({@code .vaultsync/})
 * @param config the folder's server, vault and device
 * @param options what the caller allowed (mass deletes, limits)
 * @param limits the delete limits in force ({@code options}' or the folder's)
 * @param rules the ignore rules as they were on disk when the sync started
 * @param files the folder's files, written only through temp files and renames
 * @param tally what the rounds did so far
 */
record SyncRun(
    Path folder,
    Path root,
    StateFolder state,
    VaultConfig config,
    SyncOptions options,
    DeleteLimits limits,
    IgnoreRules rules,
    SafeFiles files,
    SyncTally tally) {
  SyncRun {
    Objects.requireNonNull(folder, "folder");
    Objects.requireNonNull(root, "root");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(limits, "limits");
    Objects.requireNonNull(rules, "rules");
    Objects.requireNonNull(files, "files");
    Objects.requireNonNull(tally, "tally");
  }
}
