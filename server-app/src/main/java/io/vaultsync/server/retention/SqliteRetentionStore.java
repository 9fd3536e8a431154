package io.vaultsync.server.retention;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.SqliteDatabase;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.DeltaPlan;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Retention in the server's SQLite database: per-vault policy overrides (table {@code
 * retention_policies}), thinning of the {@code versions} table ({@link Thinning}, one transaction
 * per vault) and the {@link DeltaPlan} of a repack from the kept versions.
 *
 * <p>The table is created on first use ({@code CREATE TABLE IF NOT EXISTS}) rather than by a schema
 * version step: it is optional (no row: the server's default policy), so an older server simply
 * ignores it, and issue 5's branches do not all bump the schema version at once. Thread-safe (the
 * database serializes work).
 */
public final class SqliteRetentionStore implements RetentionStore {
  private final SqliteDatabase db;

  public SqliteRetentionStore(SqliteDatabase db) throws IOException {
    this.db = Objects.requireNonNull(db, "db");
    db.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute(
                "CREATE TABLE IF NOT EXISTS retention_policies ("
                    + " vault_id INTEGER PRIMARY KEY REFERENCES vaults(id),"
                    + " keep_all_s INTEGER NOT NULL,"
                    + " hourly_s INTEGER NOT NULL,"
                    + " daily_s INTEGER NOT NULL)");
          }
          return null;
        });
  }

  /** The vault's own policy, if one was set. */
  @Override
  public Optional<RetentionPolicy> policy(VaultName vault) throws IOException {
    return db.read(
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT keep_all_s, hourly_s, daily_s FROM retention_policies"
                      + " WHERE vault_id = ?")) {
            ps.setLong(1, vaultId(c, vault));
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  new RetentionPolicy(
                      Duration.ofSeconds(rs.getLong(1)),
                      Duration.ofSeconds(rs.getLong(2)),
                      Duration.ofSeconds(rs.getLong(3))));
            }
          }
        });
  }

  /** Sets (null: removes) the vault's own policy. */
  @Override
  public void setPolicy(VaultName vault, RetentionPolicy policy) throws IOException {
    db.transaction(
        c -> {
          long id = vaultId(c, vault);
          if (policy == null) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM retention_policies WHERE vault_id = ?")) {
              ps.setLong(1, id);
              ps.executeUpdate();
            }
            return null;
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT OR REPLACE INTO retention_policies"
                      + " (vault_id, keep_all_s, hourly_s, daily_s) VALUES (?, ?, ?, ?)")) {
            ps.setLong(1, id);
            ps.setLong(2, policy.keepAll().toSeconds());
            ps.setLong(3, policy.hourly().toSeconds());
            ps.setLong(4, policy.daily().toSeconds());
            ps.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Deletes the vault's thinned versions: per file id, {@link Thinning#drop} with versions named by
   * a kept snapshot pinned; raises the vault's {@code history_floor} to the seq that ended the
   * newest thinned content version, since the vault's files before it are no longer all known. One
   * transaction, so a concurrent commit is either before it (and its rows count) or after it (its
   * rows are newer than anything dropped, and thinning is monotone).
   *
   * @return the number of version rows deleted
   */
  @Override
  public int thin(VaultName vault, Instant now, RetentionPolicy policy) throws IOException {
    return db.transaction(
        c -> {
          long id = vaultId(c, vault);
          Set<Long> pinned = new HashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT DISTINCT seq FROM snapshot_entries WHERE vault_id = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                pinned.add(rs.getLong(1));
              }
            }
          }
          Map<Long, List<VersionRef>> byFile = new LinkedHashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT file_id, seq, time_ms, op FROM versions WHERE vault_id = ?"
                      + " ORDER BY file_id, seq DESC")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                long seq = rs.getLong(2);
                byFile
                    .computeIfAbsent(rs.getLong(1), f -> new ArrayList<>())
                    .add(
                        new VersionRef(
                            seq,
                            Instant.ofEpochMilli(rs.getLong(3)),
                            "DELETE".equals(rs.getString(4)),
                            pinned.contains(seq)));
              }
            }
          }
          List<Long> dropped = new ArrayList<>();
          for (List<VersionRef> versions : byFile.values()) {
            dropped.addAll(Thinning.drop(versions, now, policy));
          }
          long floor = 0;
          try (PreparedStatement ended =
                  c.prepareStatement(
                      "SELECT ended_seq FROM versions WHERE vault_id = ? AND seq = ?"
                          + " AND op <> 'DELETE'");
              PreparedStatement del =
                  c.prepareStatement("DELETE FROM versions WHERE vault_id = ? AND seq = ?")) {
            for (long seq : dropped) {
              ended.setLong(1, id);
              ended.setLong(2, seq);
              try (ResultSet rs = ended.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                  floor = Math.max(floor, rs.getLong(1));
                }
              }
              del.setLong(1, id);
              del.setLong(2, seq);
              del.addBatch();
            }
            del.executeBatch();
          }
          if (floor > 0) {
            // the files at any seq before the last thinned content version ended are no longer
            // all known (VersionHistory: manifestAt below the floor is NotFound)
            try (PreparedStatement ps =
                c.prepareStatement(
                    "UPDATE vaults SET history_floor = MAX(history_floor, ?) WHERE id = ?")) {
              ps.setLong(1, floor);
              ps.setLong(2, id);
              ps.executeUpdate();
            }
          }
          return dropped.size();
        });
  }

  /**
   * The delta plan from the kept versions of every vault: each content version of a file (by file
   * id, so across moves) may be a delta against the file's next different content; every head stays
   * whole.
   */
  @Override
  public DeltaPlan deltaPlan() throws IOException {
    return db.read(
        c -> {
          Map<ContentHash, ContentHash> newerOf = new HashMap<>();
          Set<ContentHash> heads = new HashSet<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT hash FROM head")) {
            while (rs.next()) {
              heads.add(ContentHash.of(rs.getBytes(1)));
            }
          }
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT vault_id, file_id, hash FROM versions WHERE op <> 'DELETE'"
                          + " ORDER BY vault_id, file_id, seq")) {
            long vault = -1;
            long file = -1;
            ContentHash previous = null;
            while (rs.next()) {
              ContentHash h = ContentHash.of(rs.getBytes(3));
              if (rs.getLong(1) != vault || rs.getLong(2) != file) {
                vault = rs.getLong(1);
                file = rs.getLong(2);
              } else if (!h.equals(previous)) {
                newerOf.putIfAbsent(previous, h);
              }
              previous = h;
            }
          }
          return new DeltaPlan(newerOf, heads);
        });
  }

  /**
   * Every hash the server's records name, in every vault: heads, the version history (deletes
   * included), kept snapshots and the remaining ledger. Content GC keeps these (the roots; {@link
   * io.vaultsync.server.store.ContentRoots}). One read transaction, so the answer is one state of
   * the database.
   */
  @Override
  public Set<ContentHash> namedContent() throws IOException {
    return db.transaction(
        c -> {
          Set<ContentHash> named = new HashSet<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT hash FROM head UNION SELECT hash FROM versions"
                          + " UNION SELECT hash FROM snapshot_entries UNION SELECT hash FROM"
                          + " changes")) {
            while (rs.next()) {
              named.add(ContentHash.of(rs.getBytes(1)));
            }
          }
          return named;
        });
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
