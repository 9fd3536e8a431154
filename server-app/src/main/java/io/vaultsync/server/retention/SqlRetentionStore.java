package io.vaultsync.server.retention;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VaultRow;
import io.vaultsync.server.store.DeltaPlan;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
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
public final class SqlRetentionStore implements RetentionStore {
  private final Database db;

  public SqlRetentionStore(Database db) throws IOException {
    this.db = Objects.requireNonNull(db, "db");
    db.createTablesIfMissing(
        "CREATE TABLE IF NOT EXISTS retention_policies ("
            + " vault_id INTEGER PRIMARY KEY REFERENCES vaults(id),"
            + " keep_all_s INTEGER NOT NULL,"
            + " hourly_s INTEGER NOT NULL,"
            + " daily_s INTEGER NOT NULL)");
  }

  /** The vault's own policy, if one was set. */
  @Override
  public Optional<RetentionPolicy> policy(VaultName vault) throws IOException {
    return db.read(
        c ->
            Optional.ofNullable(
                Sql.first(
                    c,
                    "SELECT keep_all_s, hourly_s, daily_s FROM retention_policies"
                        + " WHERE vault_id = ?",
                    rs ->
                        new RetentionPolicy(
                            Duration.ofSeconds(rs.getLong(1)),
                            Duration.ofSeconds(rs.getLong(2)),
                            Duration.ofSeconds(rs.getLong(3))),
                    VaultRow.require(c, vault).id())));
  }

  /** Sets (null: removes) the vault's own policy. */
  @Override
  public void setPolicy(VaultName vault, RetentionPolicy policy) throws IOException {
    db.transaction(
        c -> {
          long id = VaultRow.require(c, vault).id();
          if (policy == null) {
            return Sql.update(c, "DELETE FROM retention_policies WHERE vault_id = ?", id);
          }
          return Sql.update(
              c,
              "INSERT INTO retention_policies (vault_id, keep_all_s, hourly_s, daily_s)"
                  + " VALUES (?, ?, ?, ?) ON CONFLICT (vault_id) DO UPDATE SET"
                  + " keep_all_s = excluded.keep_all_s, hourly_s = excluded.hourly_s,"
                  + " daily_s = excluded.daily_s",
              id,
              policy.keepAll().toSeconds(),
              policy.hourly().toSeconds(),
              policy.daily().toSeconds());
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
          long id = VaultRow.require(c, vault).id();
          Set<Long> pinned =
              new HashSet<>(
                  Sql.list(
                      c,
                      "SELECT DISTINCT seq FROM snapshot_entries WHERE vault_id = ?",
                      rs -> rs.getLong(1),
                      id));
          Map<Long, List<VersionRef>> byFile = new LinkedHashMap<>();
          Sql.forEach(
              c,
              "SELECT file_id, seq, time_ms, op FROM versions WHERE vault_id = ?"
                  + " ORDER BY file_id, seq DESC",
              rs -> {
                long seq = rs.getLong(2);
                byFile
                    .computeIfAbsent(rs.getLong(1), f -> new ArrayList<>())
                    .add(
                        new VersionRef(
                            seq,
                            Instant.ofEpochMilli(rs.getLong(3)),
                            "DELETE".equals(rs.getString(4)),
                            pinned.contains(seq)));
              },
              id);
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
              Sql.bind(ended, id, seq);
              try (ResultSet rs = ended.executeQuery()) {
                if (rs.next() && rs.getObject(1) != null) {
                  floor = Math.max(floor, rs.getLong(1));
                }
              }
              Sql.bind(del, id, seq);
              del.addBatch();
            }
            del.executeBatch();
          }
          if (floor > 0) {
            // the files at any seq before the last thinned content version ended are no longer
            // all known (VersionHistory: manifestAt below the floor is NotFound)
            Sql.update(
                c,
                "UPDATE vaults SET history_floor = CASE WHEN history_floor > ? THEN history_floor"
                    + " ELSE ? END WHERE id = ?", // not MAX(a, b): SQLite only
                floor,
                floor,
                id);
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
          Set<ContentHash> heads =
              new HashSet<>(
                  Sql.list(c, "SELECT hash FROM head", rs -> ContentHash.of(rs.getBytes(1))));
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
          return new HashSet<>(
              Sql.list(
                  c,
                  "SELECT hash FROM head UNION SELECT hash FROM versions"
                      + " UNION SELECT hash FROM snapshot_entries UNION SELECT hash FROM changes",
                  rs -> ContentHash.of(rs.getBytes(1))));
        });
  }
}
