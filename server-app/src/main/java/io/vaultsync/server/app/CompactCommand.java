package io.vaultsync.server.app;

import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync server compact --data DIR [--vault NAME] [--older-than DURATION]}: deletes
 * ledger rows up to the oldest kept snapshot (and the mirrored seq), only those older than {@code
 * --older-than} (default 0: any). Head, snapshots and content stay. One SQLite transaction per
 * vault, so it is safe while the server runs; a transaction that lost a race with the server's
 * write is retried. Exit codes: 0 done, 2 bad arguments or an I/O error.
 */
@Command(
    name = "compact",
    mixinStandardHelpOptions = true,
    description = {
      "Compact the ledger up to the oldest kept snapshot; safe while serving.",
      "Clients behind the new horizon catch up from a snapshot. The ledger is also the version"
          + " history: --older-than 30d keeps the last 30 days of it."
    })
public final class CompactCommand extends DataCommand {
  static final int ATTEMPTS = 5;

  @Option(names = "--vault", description = "Only this vault.")
  String vault;

  @Option(
      names = "--older-than",
      defaultValue = "0",
      converter = DurationText.class,
      description = "Keep ledger rows younger than this, e.g. 30d (default: ${DEFAULT-VALUE}).")
  Duration olderThan;

  @Option(
      names = "--snapshot",
      description = "Take a snapshot of each vault first (else vaults without one are skipped).")
  boolean snapshotFirst;

  @Override
  int run(PrintWriter out) throws IOException {
    try (ServerData.LedgerDatabase db = ServerData.openLedger(data)) {
      for (VaultName v : SnapshotCommand.vaults(db, vault)) {
        if (snapshotFirst) {
          out.println(SnapshotCommand.describe(v, db.snapshots().take(v, Instant.now())));
        }
        Instant cutoff = olderThan == null ? null : Instant.now().minus(olderThan);
        out.println(compact(db, v, cutoff).summary());
      }
      return 0;
    }
  }

  /**
   * Compacts, retrying when SQLite refused the write because the server committed meanwhile (a
   * deferred transaction cannot be upgraded then).
   */
  private static Compaction compact(ServerData.LedgerDatabase db, VaultName v, Instant cutoff)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return db.snapshots().compact(v, cutoff);
      } catch (IOException e) {
        if (attempt >= ATTEMPTS || e.getMessage() == null || !e.getMessage().contains("BUSY")) {
          throw e;
        }
      }
    }
  }
}
