package io.vaultsync.server.app;

import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.limits.SqlQuotaStore;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.OptionalLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync server quota --data DIR [--vault NAME] [--set SIZE | --clear]}: shows each
 * vault's usage and quota, sets a vault's own quota or removes it (the server's {@code
 * --vault-quota} applies again). Single SQLite transactions, so safe while the server runs (it
 * reads a vault's quota on every upload). Exit codes: 0 done, 2 bad arguments or an I/O error.
 */
@Command(
    name = "quota",
    mixinStandardHelpOptions = true,
    description = {
      "Show a vault's storage usage and quota, or set its own quota; safe while serving.",
      "Usage: the size of the distinct contents the vault's history, head, kept snapshots and"
          + " ledger name, each counted once at its full size."
    })
public final class QuotaCommand extends DataCommand {

  @Option(names = "--vault", description = "Only this vault (required with --set or --clear).")
  String vault;

  @Option(
      names = "--set",
      paramLabel = "SIZE",
      converter = SizeText.class,
      description = "The vault's own quota, e.g. 500M, 10G.")
  Long set;

  @Option(
      names = "--clear",
      description = "Remove the vault's own quota (the server's --vault-quota applies).")
  boolean clear;

  @Override
  int run(PrintWriter out) throws IOException {
    try (ServerData.LedgerDatabase db = ServerData.openLedger(data)) {
      if ((set != null || clear) && vault == null) {
        throw new IllegalArgumentException("give --vault NAME to set or clear its quota");
      }
      if (set != null && clear) {
        throw new IllegalArgumentException("--set and --clear go alone; give one");
      }
      if (set != null && set == SizeText.NONE) {
        throw new IllegalArgumentException(
            "--set none: use --clear for the server's default, or give a size");
      }
      SqlQuotaStore quotas = new SqlQuotaStore(db.db());
      for (VaultName v : SnapshotCommand.vaults(db, vault)) {
        if (set != null) {
          quotas.setQuota(v, OptionalLong.of(set));
        } else if (clear) {
          quotas.setQuota(v, OptionalLong.empty());
        }
        OptionalLong own = quotas.quota(v);
        long usage = quotas.usage(v);
        out.println(
            "vault "
                + v
                + ": usage "
                + io.vaultsync.protocol.ByteSizes.describe(usage)
                + ", quota "
                + (own.isPresent()
                    ? io.vaultsync.protocol.ByteSizes.describe(own.getAsLong())
                        + " (its own, "
                        + percent(usage, own.getAsLong())
                        + " used)"
                    : "the server's --vault-quota (none unless given)"));
      }
      return 0;
    }
  }

  private static String percent(long usage, long quota) {
    return String.format(java.util.Locale.ROOT, "%.0f%%", 100.0 * usage / quota);
  }
}
