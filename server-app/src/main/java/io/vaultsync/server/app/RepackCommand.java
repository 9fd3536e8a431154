package io.vaultsync.server.app;

import io.vaultsync.server.store.RepackStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;

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
public final class RepackCommand extends DataCommand {

  @Override
  int run(PrintWriter out) throws IOException {
    requireDatabase();
    try (ServerData opened = ServerData.open(data, Clock.systemUTC())) {
      RepackStats stats = opened.store().repack(opened.retention().deltaPlan());
      out.println(stats.summary());
      return 0;
    }
  }
}
