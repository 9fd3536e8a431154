package io.vaultsync.client.sync;

import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.protocol.SyncProtocol;

/**
 * What the steps of one round of {@link SyncExecutor} share: the connection, the vault's folder and
 * configuration, the whole index (changed as steps are done), the files as the plan saw them, and
 * the round's bookkeeping.
 *
 * @param transport the connection to the server (its syncing role only)
 * @param config the vault's configuration (vault name, device)
 * @param state the state folder the index is written to
 * @param files the vault's files (existing files keep their names on disk)
 * @param transfers uploads and downloads through {@code files}
 * @param index the folder's whole index
 * @param seen the files as this round's plan saw them
 * @param tally what the sync did so far
 * @param ledger what this round left out, applied and still owes the progress listener
 */
record Round(
    SyncProtocol transport,
    VaultConfig config,
    StateFolder state,
    SafeFiles files,
    Transfers transfers,
    LocalIndex index,
    SeenFiles seen,
    SyncTally tally,
    RoundLedger ledger) {

  /** The vault's name on the server. */
  String vault() {
    return config.vault();
  }

  /** This device's name, as the server records it. */
  String device() {
    return config.device();
  }
}
