package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.Syncer;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync sync DIR [--json] [--allow-mass-delete]}: one-shot two-way sync. The launcher
 * hands it to a {@code vaultsync watch} running on DIR when there is one ({@link HandOffListener});
 * this class runs it when there is none.
 */
@Command(
    name = "sync",
    description = {
      "Two-way sync of a vault folder with its server, once.",
      "Exit code 4: done, but conflicting versions were kept as conflict copies.",
      "Exit code 6: deletes held back, everything else synced: the sync would delete more than"
          + " the limits allow (default: more than 30%% of the vault's files, from 10 deletes on;"
          + " moves are not deletes), or the folder looks empty or unmounted. Each is named; run"
          + " again with --allow-mass-delete if intended (that confirms them for every device)."
    })
final class SyncCommand extends FolderCommand {
  @Option(
      names = "--json",
      description =
          "Print {filesUp, filesDown, bytesSent, bytesReceived, conflicts, seq, millis} as JSON.")
  boolean json;

  @Option(
      names = "--allow-mass-delete",
      description =
          "Allow this sync to delete more files than the limits (on either side, and on the"
              + " server), or to sync a folder that looks empty. Deletes pushed this way are"
              + " confirmed for every device: the others apply them without holding them back.")
  boolean allowMassDelete;

  @Option(
      names = "--verbose",
      description =
          "Say on stderr why the sync runs in a new process rather than in the 'vaultsync watch'"
              + " running on DIR (the ./vaultsync launcher hands a sync to such a watch).")
  boolean verbose;

  @Override
  int run(PrintWriter out) throws IOException {
    StateFolder state = StateFolder.of(dir);
    try (VaultTransport t = connect(state)) {
      return report(
          out,
          new Syncer(t, root.clock(), progress("sync", json, LARGE_FILES, LARGE_BYTES))
              .sync(dir, allowMassDelete ? SyncOptions.ALLOW_MASS_DELETE : SyncOptions.DEFAULTS),
          json);
    }
  }
}
