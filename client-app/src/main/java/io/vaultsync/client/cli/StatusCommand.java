package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.sync.SyncPlan;
import io.vaultsync.client.sync.Syncer;
import io.vaultsync.core.transport.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code vaultsync status DIR}: what a sync would do, without doing it. */
@Command(name = "status", description = "Show what a sync would do; change nothing.")
final class StatusCommand extends VaultCommand {
  @Parameters(index = "0", paramLabel = "DIR", description = "The vault folder.")
  Path dir;

  @Override
  int run(PrintWriter out) throws IOException {
    StateFolder state = StateFolder.of(dir);
    var config = state.config();
    try (VaultTransport t = root.connector().connect(config.server(), state.token())) {
      SyncPlan plan = new Syncer(t, root.clock()).status(dir);
      if (plan.actions().isEmpty()) {
        out.println("up to date at seq " + plan.remote().headSeq());
      } else {
        plan.lines().forEach(out::println);
      }
      out.flush();
      return VaultsyncCommand.EXIT_OK;
    }
  }
}
