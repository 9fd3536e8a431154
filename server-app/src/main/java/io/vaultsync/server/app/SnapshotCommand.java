package io.vaultsync.server.app;

import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync server snapshot --data DIR [--vault NAME] [--list]}: takes a snapshot of each
 * vault (or one) now, or lists the kept ones. One SQLite transaction per vault, so it is safe while
 * the server runs. Exit codes: 0 done, 2 bad arguments or an I/O error.
 */
@Command(
    name = "snapshot",
    mixinStandardHelpOptions = true,
    description = "Take a snapshot of every vault (or --vault NAME) now; safe while serving.")
public final class SnapshotCommand extends DataCommand {

  @Option(names = "--vault", description = "Only this vault.")
  String vault;

  @Option(names = "--list", description = "List the kept snapshots instead of taking one.")
  boolean list;

  @Override
  int run(PrintWriter out) throws IOException {
    try (ServerData.LedgerDatabase db = ServerData.openLedger(data)) {
      for (VaultName v : vaults(db, vault)) {
        if (list) {
          for (SnapshotInfo s : db.snapshots().list(v)) {
            out.println(describe(v, s));
          }
        } else {
          out.println(describe(v, db.snapshots().take(v, Instant.now())));
        }
      }
      return 0;
    }
  }

  static String describe(VaultName v, SnapshotInfo s) {
    return "vault "
        + v
        + ": snapshot at seq "
        + s.seq()
        + ", "
        + s.files()
        + " files, "
        + s.bytes()
        + " bytes, root "
        + s.root().hex()
        + ", taken "
        + s.time();
  }

  /** The named vault (checked to exist), or every vault. */
  static List<VaultName> vaults(ServerData.LedgerDatabase db, String only) throws IOException {
    List<VaultName> out = new ArrayList<>();
    if (only != null) {
      VaultName v = VaultName.of(only);
      if (!db.ledger().exists(v)) {
        throw new IllegalArgumentException("no vault \"" + only + "\" in " + db.db().file());
      }
      out.add(v);
      return out;
    }
    for (VaultInfo info : db.ledger().vaults()) {
      out.add(VaultName.of(info.name()));
    }
    return out;
  }
}
