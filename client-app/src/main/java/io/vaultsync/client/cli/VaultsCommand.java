package io.vaultsync.client.cli;

import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code vaultsync vaults URL --token-file FILE}: list the vaults on a server. */
@Command(name = "vaults", description = "List the vaults on a server.")
final class VaultsCommand extends VaultCommand {
  @Parameters(index = "0", paramLabel = "URL", description = "Server URL.")
  String server;

  @Mixin TokenSource tokenSource;

  @Override
  int run(PrintWriter out) throws IOException {
    String token = tokenSource.read(root);
    try (VaultTransport t = root.connector().connect(serverUri(server), token)) {
      List<VaultInfo> vaults = t.listVaults();
      out.printf("%-30s %8s %14s  %s%n", "NAME", "FILES", "BYTES", "LAST CHANGE");
      for (VaultInfo v : vaults) {
        out.printf(
            "%-30s %8d %14d  %s%n",
            v.name(),
            v.files(),
            v.bytes(),
            v.lastChange() == null ? "-" : v.lastChange().toString());
      }
      out.flush();
      return VaultsyncCommand.EXIT_OK;
    }
  }
}
