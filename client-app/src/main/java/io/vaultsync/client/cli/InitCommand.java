package io.vaultsync.client.cli;

import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.sync.VaultSetup;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vaultsync init DIR --server URL --vault NAME --token-file FILE}: upload a folder as a
 * vault.
 */
@Command(name = "init", description = "Upload a folder as a new vault on a server.")
final class InitCommand extends SetupCommand {
  @Parameters(index = "0", paramLabel = "DIR", description = "The folder to upload.")
  Path dir;

  @Option(names = "--server", required = true, paramLabel = "URL", description = "Server URL.")
  String server;

  @Option(names = "--vault", required = true, paramLabel = "NAME", description = "Vault name.")
  String vault;

  @Override
  int run(PrintWriter out) throws IOException {
    String token = token();
    VaultConfig config = config(server, vault);
    try (VaultTransport t = root.connector().connect(config.server(), token)) {
      SyncReport r =
          VaultSetup.init(dir, config, token, t, root.clock(), progress("init", json, 1, 0));
      announceDevice(out, device, config, json);
      return report(out, r, json);
    }
  }
}
