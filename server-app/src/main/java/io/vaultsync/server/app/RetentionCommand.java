package io.vaultsync.server.app;

import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.retention.RetentionPolicy;
import io.vaultsync.server.retention.RetentionStore;
import io.vaultsync.server.retention.SqlRetentionStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync server retention --data DIR [--vault NAME] [--keep-all 30d] [--hourly 7d]
 * [--daily 365d] [--default] [--thin-now]}: shows each vault's retention policy, sets a vault's own
 * (phases not given keep their current value), removes it ({@code --default}: the server's options
 * apply again) or thins now. Single SQLite transactions, so safe while the server runs. Exit codes:
 * 0 done, 2 bad arguments or an I/O error.
 */
@Command(
    name = "retention",
    mixinStandardHelpOptions = true,
    description = {
      "Show or set how long a vault keeps old versions; safe while serving.",
      "Every version for --keep-all, then the newest of each hour for --hourly, then the newest"
          + " of each day for --daily; heads and versions in kept snapshots always stay."
    })
public final class RetentionCommand extends DataCommand {

  @Option(names = "--vault", description = "Only this vault (required to change a policy).")
  String vault;

  @Option(names = "--keep-all", converter = DurationText.class, description = "e.g. 30d")
  Duration keepAll;

  @Option(names = "--hourly", converter = DurationText.class, description = "e.g. 7d")
  Duration hourly;

  @Option(names = "--daily", converter = DurationText.class, description = "e.g. 365d")
  Duration daily;

  @Option(names = "--default", description = "Remove the vault's own policy.")
  boolean useDefault;

  @Option(
      names = "--thin-now",
      description =
          "Thin the versions now (the vault's own policy, else the built-in 30d/7d/365d; the"
              + " running server thins hourly with its own options).")
  boolean thinNow;

  @Override
  int run(PrintWriter out) throws IOException {
    try (ServerData.LedgerDatabase db = ServerData.openLedger(data)) {
      RetentionStore store = new SqlRetentionStore(db.db());
      boolean change = keepAll != null || hourly != null || daily != null || useDefault;
      if (change && vault == null) {
        throw new IllegalArgumentException("give --vault NAME to change its retention policy");
      }
      if (useDefault && (keepAll != null || hourly != null || daily != null)) {
        throw new IllegalArgumentException("--default removes the policy; give no phases with it");
      }
      for (VaultName v : SnapshotCommand.vaults(db, vault)) {
        if (useDefault) {
          store.setPolicy(v, null);
        } else if (change) {
          RetentionPolicy current = store.policy(v).orElse(RetentionPolicy.DEFAULT);
          store.setPolicy(
              v,
              new RetentionPolicy(
                  keepAll != null ? keepAll : current.keepAll(),
                  hourly != null ? hourly : current.hourly(),
                  daily != null ? daily : current.daily()));
        }
        Optional<RetentionPolicy> own = store.policy(v);
        out.println(
            "vault "
                + v
                + ": "
                + own.map(p -> p.describe() + " (its own)").orElse("the server's options"));
        if (thinNow) {
          int n = store.thin(v, Instant.now(), own.orElse(RetentionPolicy.DEFAULT));
          out.println("vault " + v + ": " + n + " versions thinned");
        }
      }
      return 0;
    }
  }
}
