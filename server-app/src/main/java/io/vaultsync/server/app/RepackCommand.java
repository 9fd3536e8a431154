package io.vaultsync.server.app;

import io.vaultsync.server.store.RepackStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaultsync server repack --data DIR}: rewrites the content store's packs into one, storing
 * old versions as deltas against newer versions of the same file (heads stay whole). Needs the data
 * folder's server lock, so it runs while the server is stopped; a running server repacks by itself
 * ({@code --repack-every}). Crash-safe: an interrupted repack leaves the old packs. Exit codes: 0
 * done, 2 an I/O error (or a server is running).
 */
@Command(
    name = "repack",
    mixinStandardHelpOptions = true,
    description = {
      "Repack the content store, old versions as deltas (the server must be stopped).",
      "A running server does this by itself every --repack-every."
    })
public final class RepackCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data", required = true, description = "The server's data folder.")
  Path data;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (!java.nio.file.Files.exists(ServerData.database(data))) {
      spec.commandLine()
          .getErr()
          .println("vaultsync server repack: no vaultsync database in " + data);
      spec.commandLine().getErr().flush();
      return 2;
    }
    try (ServerData opened = ServerData.open(data, Clock.systemUTC())) {
      RepackStats stats = opened.store().repack(opened.retention().deltaPlan());
      out.println(stats.summary());
      out.flush();
      return 0;
    } catch (IOException e) {
      spec.commandLine().getErr().println("vaultsync server repack: " + e.getMessage());
      spec.commandLine().getErr().flush();
      return 2;
    }
  }
}
