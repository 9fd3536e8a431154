package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Parameters;

/**
 * A subcommand about one vault folder set up for sync: the folder is its first parameter, and it
 * reaches the server the folder's configuration names, with the folder's token.
 */
abstract class FolderCommand extends VaultCommand {
  @Parameters(index = "0", paramLabel = "DIR", description = "The vault folder.")
  Path dir;

  /** A connection to the server of {@code state} (the folder's state), with its token. */
  VaultTransport connect(StateFolder state) throws IOException {
    return root.connector().connect(state.config().server(), state.token());
  }
}
