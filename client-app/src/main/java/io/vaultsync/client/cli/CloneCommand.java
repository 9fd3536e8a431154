package io.vaultsync.client.cli;

import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.sync.VaultSetup;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vaultsync clone URL NAME DIR --token-file FILE}: download a vault into a new folder. */
@Command(
    name = "clone",
    description =
        "Download a vault into a new (or empty) folder. Run again on the folder of an interrupted"
            + " clone, it finishes it.")
final class CloneCommand extends SetupCommand {
  @Parameters(index = "0", paramLabel = "URL", description = "Server URL.")
  String server;

  @Parameters(index = "1", paramLabel = "NAME", description = "Vault name.")
  String vault;

  @Parameters(index = "2", paramLabel = "DIR", description = "The folder to create.")
  Path dir;

  @Override
  int run(PrintWriter out) throws IOException {
    String token = token();
    VaultConfig config = config(server, vault);
    boolean resuming = VaultSetup.isCloneOf(dir, config);
    if (resuming && !json) {
      out.println(
          dir + " already holds a clone of vault \"" + vault + "\": finishing it with a sync");
    }
    try (VaultTransport t = root.connector().connect(config.server(), token)) {
      SyncReport r =
          VaultSetup.cloneInto(dir, config, token, t, root.clock(), progress("clone", json, 1, 0));
      if (!resuming) {
        announceDevice(out, device, config, json);
      }
      return report(out, r, json);
    }
  }
}
