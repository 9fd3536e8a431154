package io.vaultsync.server.limits;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.SqliteDatabase;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Vault quotas and usage in the server's SQLite database. A vault's own quota lives in table {@code
 * vault_quotas} (created on first use, like {@code retention_policies}: optional data, no row = the
 * server's {@code --vault-quota}).
 *
 * <p><b>Usage</b> of a vault: the total size of the distinct contents its records name: every row
 * of its version history ({@code versions}, deletes included: a delete names the content it ended),
 * its head, its kept snapshots and its remaining ledger rows. Each content counts once, at its full
 * size, however the store keeps it (whole, as a delta, or shared with another vault). These are
 * exactly the roots content GC keeps for the vault, so thinning lowers usage and GC then frees the
 * disk. Thread-safe (the database serializes work).
 */
public final class SqliteQuotaStore implements QuotaStore {
  /** The distinct (hash, size) pairs a vault's records name; four parameters: the vault id. */
  private static final String NAMED =
      "SELECT hash, size FROM versions WHERE vault_id = ?"
          + " UNION SELECT hash, size FROM head WHERE vault_id = ?"
          + " UNION SELECT hash, size FROM snapshot_entries WHERE vault_id = ?"
          + " UNION SELECT hash, size FROM changes WHERE vault_id = ?";

  private final SqliteDatabase db;

  public SqliteQuotaStore(SqliteDatabase db) throws IOException {
    this.db = Objects.requireNonNull(db, "db");
    db.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS vault_quotas ("
                    + " vault_id INTEGER PRIMARY KEY REFERENCES vaults(id),"
                    + " quota_bytes INTEGER NOT NULL CHECK (quota_bytes > 0))");
          }
          return null;
        });
  }

  /** The vault's own quota, if one was set. */
  @Override
  public OptionalLong quota(VaultName vault) throws IOException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT quota_bytes FROM vault_quotas WHERE vault_id = ?")) {
            ps.setLong(1, vaultId(c, vault));
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
          }
        });
  }

  /**
   * Sets the vault's own quota; empty removes it (the server's {@code --vault-quota} applies).
   *
   * @throws IllegalArgumentException if the quota is below 1 byte
   */
  @Override
  public void setQuota(VaultName vault, OptionalLong quota) throws IOException {
    if (quota.isPresent() && quota.getAsLong() < 1) {
      throw new IllegalArgumentException(
          "quota of " + quota.getAsLong() + " bytes; expected at least 1");
    }
    db.transaction(
        c -> {
          long id = vaultId(c, vault);
          if (quota.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM vault_quotas WHERE vault_id = ?")) {
              ps.setLong(1, id);
              ps.executeUpdate();
            }
            return null;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO vault_quotas (vault_id, quota_bytes) VALUES (?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, quota.getAsLong());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /** The vault's usage in bytes (see the class comment). */
  @Override
  public long usage(VaultName vault) throws IOException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT COALESCE(SUM(size), 0) FROM (" + NAMED + ")")) {
            bind(ps, vaultId(c, vault));
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? rs.getLong(1) : 0L;
            }
          }
        });
  }

  /** The vault's usage with the contents it counts: for deciding exactly what a call adds. */
  @Override
  public Usage usageWithContents(VaultName vault) throws IOException {
    return db.read(
        c -> {
          Set<ContentHash> named = new HashSet<>();
          long bytes = 0;
          try (PreparedStatement ps = c.prepareStatement(NAMED)) {
            bind(ps, vaultId(c, vault));
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                if (named.add(ContentHash.of(rs.getBytes(1)))) {
                  bytes += rs.getLong(2);
                }
              }
            }
          }
          return new Usage(bytes, named);
        });
  }

  private static void bind(PreparedStatement ps, long id) throws SQLException {
    for (int i = 1; i <= 4; i++) {
      ps.setLong(i, id);
    }
  }

  private static long vaultId(Connection c, VaultName vault) throws SQLException, IOException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM vaults WHERE name = ?")) {
      ps.setString(1, vault.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw LedgerStore.noVault(vault);
        }
        return rs.getLong(1);
      }
    }
  }
}
