package io.vaultsync.server.ledger;

import io.vaultsync.protocol.rules.RecentDeletes;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * The recent deletes read from the ledger itself: the unconfirmed deletes a device committed to a
 * vault inside the window are its {@code changes} rows. What a server of several processes uses,
 * since a commit through one process must count the deletes made through the others; nothing is
 * kept in memory, and {@link #add} has nothing to do (the append records the deletes). Compaction
 * only removes rows far older than {@link io.vaultsync.protocol.DeleteLimits#WINDOW}. Thread-safe.
 */
public final class SqlRecentDeletes implements RecentDeletes {
  private final Database db;

  public SqlRecentDeletes(Database db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public long since(String vault, String device, long fromMillis) {
    try {
      return db.read(
          c -> {
            Long n =
                Sql.number(
                    c,
                    "SELECT count(*) FROM changes x JOIN vaults v ON v.id = x.vault_id"
                        + " WHERE v.name = ? AND x.device = ? AND x.op = 'DELETE'"
                        + " AND x.confirmed = 0 AND x.time_ms >= ?",
                    vault,
                    device,
                    fromMillis);
            return n == null ? 0L : n;
          });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void add(String vault, String device, long atMillis, long deletes) {
    // The ledger append records the deletes; since() reads them from there.
  }
}
