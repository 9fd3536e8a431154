package io.vaultsync.server.limits;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VaultRow;
import java.io.IOException;
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
public final class SqlQuotaStore implements QuotaStore {
  /** The distinct (hash, size) pairs a vault's records name; four parameters: the vault id. */
  private static final String NAMED =
      "SELECT hash, size FROM versions WHERE vault_id = ?"
          + " UNION SELECT hash, size FROM head WHERE vault_id = ?"
          + " UNION SELECT hash, size FROM snapshot_entries WHERE vault_id = ?"
          + " UNION SELECT hash, size FROM changes WHERE vault_id = ?";

  private final Database db;

  public SqlQuotaStore(Database db) throws IOException {
    this.db = Objects.requireNonNull(db, "db");
    db.createTablesIfMissing(
        "CREATE TABLE IF NOT EXISTS vault_quotas ("
            + " vault_id INTEGER PRIMARY KEY REFERENCES vaults(id),"
            + " quota_bytes INTEGER NOT NULL CHECK (quota_bytes > 0))");
  }

  /** The vault's own quota, if one was set. */
  @Override
  public OptionalLong quota(VaultName vault) throws IOException {
    return db.read(
        c -> {
          Long quota =
              Sql.number(
                  c,
                  "SELECT quota_bytes FROM vault_quotas WHERE vault_id = ?",
                  VaultRow.require(c, vault).id());
          return quota == null ? OptionalLong.empty() : OptionalLong.of(quota);
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
          long id = VaultRow.require(c, vault).id();
          if (quota.isEmpty()) {
            return Sql.update(c, "DELETE FROM vault_quotas WHERE vault_id = ?", id);
          }
          return Sql.update(
              c,
              "INSERT INTO vault_quotas (vault_id, quota_bytes) VALUES (?, ?)"
                  + " ON CONFLICT (vault_id) DO UPDATE SET quota_bytes = excluded.quota_bytes",
              id,
              quota.getAsLong());
        });
  }

  /** The vault's usage in bytes (see the class comment). */
  @Override
  public long usage(VaultName vault) throws IOException {
    return db.read(
        c -> {
          long id = VaultRow.require(c, vault).id();
          Long bytes =
              Sql.number(
                  c, "SELECT COALESCE(SUM(size), 0) FROM (" + NAMED + ") AS named", id, id, id, id);
          return bytes == null ? 0L : bytes;
        });
  }

  /** The vault's usage with the contents it counts: for deciding exactly what a call adds. */
  @Override
  public Usage usageWithContents(VaultName vault) throws IOException {
    return db.read(
        c -> {
          long id = VaultRow.require(c, vault).id();
          Set<ContentHash> named = new HashSet<>();
          long[] bytes = {0};
          Sql.forEach(
              c,
              NAMED,
              rs -> {
                if (named.add(ContentHash.of(rs.getBytes(1)))) {
                  bytes[0] += rs.getLong(2);
                }
              },
              id,
              id,
              id,
              id);
          return new Usage(bytes[0], named);
        });
  }
}
