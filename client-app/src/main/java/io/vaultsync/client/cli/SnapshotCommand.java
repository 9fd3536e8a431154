package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code vaultsync snapshot DIR}: asks the folder's server to take a snapshot of its vault now (or
 * returns the newest when it is already at the head) and prints its seq and root.
 */
@Command(
    name = "snapshot",
    description = "Ask the server to snapshot this folder's vault now; print its seq and root.")
final class SnapshotCommand extends FolderCommand {
  @Override
  int run(PrintWriter out) throws IOException {
    StateFolder state = StateFolder.of(dir);
    try (VaultTransport t = connect(state)) {
      SnapshotInfo s = t.snapshot(state.config().vault(), true);
      out.println(
          "snapshot at seq "
              + s.seq()
              + ", "
              + s.files()
              + " files, root "
              + s.root().hex()
              + ", taken "
              + s.time());
      out.flush();
      return VaultsyncCommand.EXIT_OK;
    }
  }
}
