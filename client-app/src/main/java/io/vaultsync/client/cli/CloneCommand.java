package io.vaultsync.client.cli;

import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.VaultSetup;
import io.vaultsync.core.transport.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vaultsync clone URL NAME DIR --token T}: download a vault into a new folder. */
@Command(name = "clone", description = "Download a vault into a new (or empty) folder.")
final class CloneCommand extends VaultCommand {
  @Parameters(index = "0", paramLabel = "URL", description = "Server URL.")
  String server;

  @Parameters(index = "1", paramLabel = "NAME", description = "Vault name.")
  String vault;

  @Parameters(index = "2", paramLabel = "DIR", description = "The folder to create.")
  Path dir;

  @Option(names = "--token", required = true, paramLabel = "T", description = "Access token.")
  String token;

  @Option(names = "--device", paramLabel = "NAME", description = "This device's name.")
  String device;

  @Option(names = "--json", description = "Print the summary as one line of JSON.")
  boolean json;

  @Override
  int run(PrintWriter out) throws IOException {
    VaultConfig config = newConfig(server, vault, device);
    try (VaultTransport t = root.connector().connect(config.server(), token)) {
      return report(
          out,
          VaultSetup.cloneInto(dir, config, token, t, root.clock(), progress("clone", json, 1, 0)),
          json);
    }
  }
}
