package io.vaultsync.server.app;

import io.vaultsync.server.store.GcStats;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import picocli.CommandLine.Command;

/**
 * {@code vaultsync server gc --data DIR}: content GC by hand. Rewrites the content store without
 * the content no head, version, kept snapshot or ledger row names any more (what retention thinned
 * or compaction released, and content staged by a commit that crashed before its ledger rows),
 * repacking old versions as deltas in the same rewrite, and prints what it reclaimed. Needs the
 * data folder's server lock, so it runs while the server is stopped; a running server does the same
 * after thinning every {@code --repack-every}. Crash-safe like a repack. Exit codes: 0 done, 2 an
 * I/O error (or a server is running).
 */
@Command(
    name = "gc",
    mixinStandardHelpOptions = true,
    description = {
      "Remove content no version, head, snapshot or ledger row names (the server must be stopped).",
      "Thin first ('server retention --thin-now'); a running server does both by itself every"
          + " --repack-every."
    })
public final class GcCommand extends DataCommand {

  @Override
  int run(PrintWriter out) throws IOException {
    requireDatabase();
    try (ServerData opened = ServerData.open(data, Clock.systemUTC())) {
      long before = opened.store().packBytes();
      GcStats stats =
          opened.store().collect(opened.retention()::namedContent, opened.retention().deltaPlan());
      long after = opened.store().packBytes();
      out.println(stats.summary());
      out.println(
          "the store went from "
              + io.vaultsync.protocol.ByteSizes.describe(before)
              + " to "
              + io.vaultsync.protocol.ByteSizes.describe(after)
              + " ("
              + io.vaultsync.protocol.ByteSizes.describe(Math.max(0, before - after))
              + " reclaimed)");
      return 0;
    }
  }
}
