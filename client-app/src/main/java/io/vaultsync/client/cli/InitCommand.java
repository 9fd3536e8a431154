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

/** {@code vaultsync init DIR --server URL --vault NAME --token T}: upload a folder as a vault. */
@Command(name = "init", description = "Upload a folder as a new vault on a server.")
final class InitCommand extends VaultCommand {
  @Parameters(index = "0", paramLabel = "DIR", description = "The folder to upload.")
  Path dir;

  @Option(names = "--server", required = true, paramLabel = "URL", description = "Server URL.")
  String server;

  @Option(names = "--vault", required = true, paramLabel = "NAME", description = "Vault name.")
  String vault;

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
          VaultSetup.init(dir, config, token, t, root.clock(), progress("init", json, 1, 0)),
          json);
    }
  }
}
