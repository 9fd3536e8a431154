package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.rules.NewChange;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link LedgerStore} in SQLite ({@link SqliteDatabase}): tables {@code vaults}, {@code changes}
 * (primary key vault + seq, so "changes since" is one range scan), {@code head} and {@code
 * versions} (the history, {@link VersionRows}). An append of any number of changes is one
 * transaction, hence one WAL fsync, and writes the ledger, head and history together.
 *
 * <p>Over 400 lines: the SQL of the seventeen {@link LedgerStore} methods, on one schema.
 */
public final class SqliteLedgerStore implements LedgerStore {
  private final SqliteDatabase db;
  private final SqliteVersionHistory history;

  public SqliteLedgerStore(SqliteDatabase db) {
    this.db = db;
    this.history = new SqliteVersionHistory(db);
  }

  @Override
  public void createVault(VaultName vault, Instant time) throws IOException {
    db.transaction(
        c -> {
          if (vaultId(c, vault) != null) {
            throw new IllegalArgumentException("vault \"" + vault + "\" already exists");
          }
          try (PreparedStatement ps =
              c.prepareStatement("INSERT INTO vaults (name, created_ms) VALUES (?, ?)")) {
            ps.setString(1, vault.value());
            ps.setLong(2, time.toEpochMilli());
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public boolean exists(VaultName vault) throws IOException {
    return db.read(c -> vaultId(c, vault) != null);
  }

  @Override
  public List<VaultInfo> vaults() throws IOException {
    return db.read(
        c -> {
          List<VaultInfo> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT v.name, v.head_seq,"
                          + " (SELECT count(*) FROM head h WHERE h.vault_id = v.id),"
                          + " (SELECT coalesce(sum(size), 0) FROM head h WHERE h.vault_id = v.id),"
                          + " v.last_change_ms"
                          + " FROM vaults v ORDER BY v.name");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              long last = rs.getLong(5);
              Instant lastChange = rs.wasNull() ? null : Instant.ofEpochMilli(last);
              out.add(
                  new VaultInfo(
                      rs.getString(1), rs.getLong(3), rs.getLong(4), rs.getLong(2), lastChange));
            }
          }
          return out;
        });
  }

  @Override
  public long headSeq(VaultName vault) throws IOException {
    return db.read(c -> requireVault(c, vault)[1]);
  }

  @Override
  public Optional<RemoteEntry> head(VaultName vault, NotePath path) throws IOException {
    return db.read(c -> Optional.ofNullable(head(c, requireVault(c, vault)[0], path)));
  }

  /**
   * {@inheritDoc} One range read of the primary key: SQLite compares text as UTF-8 bytes, the order
   * of {@link NotePath}, so the paths below {@code a} are exactly those in [{@code a/}, {@code
   * a0}).
   */
  @Override
  public List<NotePath> headPathsUnder(VaultName vault, NotePath folder, NotePath after, int limit)
      throws IOException {
    String lower = after != null ? after.value() : folder.value() + "/";
    String upper = folder.value() + "0"; // '0' follows '/'
    return db.read(
        c -> {
          long[] v = requireVault(c, vault);
          List<NotePath> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path FROM head WHERE vault_id = ? AND path > ? AND path < ?"
                      + " ORDER BY path LIMIT ?")) {
            ps.setLong(1, v[0]);
            ps.setString(2, lower);
            ps.setString(3, upper);
            ps.setInt(4, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(NotePath.of(rs.getString(1)));
              }
            }
          }
          return out;
        });
  }

  /** {@inheritDoc} One read, one statement run once per path (a primary-key seek each). */
  @Override
  public Set<NotePath> foldersAmong(VaultName vault, java.util.Collection<NotePath> paths)
      throws IOException {
    if (paths.isEmpty()) {
      return Set.of();
    }
    return db.read(
        c -> {
          long[] v = requireVault(c, vault);
          Set<NotePath> out = new HashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM head WHERE vault_id = ? AND path > ? AND path < ? LIMIT 1")) {
            ps.setLong(1, v[0]);
            for (NotePath p : paths) {
              ps.setString(2, p.value() + "/");
              ps.setString(3, p.value() + "0"); // '0' follows '/'
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  out.add(p);
                }
              }
            }
          }
          return out;
        });
  }

  @Override
  public RemoteManifest manifest(VaultName vault) throws IOException {
    return db.read(
        c -> {
          long[] v = requireVault(c, vault);
          List<RemoteEntry> entries = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path, hash, size, seq FROM head WHERE vault_id = ? ORDER BY path")) {
            ps.setLong(1, v[0]);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                entries.add(
                    new RemoteEntry(
                        NotePath.of(rs.getString(1)),
                        ContentHash.of(rs.getBytes(2)),
                        rs.getLong(3),
                        rs.getLong(4)));
              }
            }
          }
          return new RemoteManifest(v[1], entries);
        });
  }

  @Override
  public ChangePage changesSince(VaultName vault, long afterSeq, int limit) throws IOException {
    if (afterSeq < 0 || limit < 1) {
      throw new IllegalArgumentException(
          "changes after seq " + afterSeq + ", limit " + limit + "; expected >= 0 and >= 1");
    }
    return db.read(
        c -> {
          long[] v = requireVault(c, vault);
          if (afterSeq < v[3]) {
            return new ChangePage(List.of(), v[1], v[3]); // compacted: catch up from a snapshot
          }
          List<Change> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, op, path, previous_path, hash, size, device, time_ms, confirmed"
                      + " FROM changes WHERE vault_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, afterSeq);
            ps.setInt(3, limit);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                String previous = rs.getString(4);
                out.add(
                    new Change(
                        rs.getLong(1),
                        Change.Op.valueOf(rs.getString(2)),
                        NotePath.of(rs.getString(3)),
                        previous == null ? null : NotePath.of(previous),
                        ContentHash.of(rs.getBytes(5)),
                        rs.getLong(6),
                        rs.getString(7),
                        Instant.ofEpochMilli(rs.getLong(8)),
                        rs.getInt(9) == 1 && "DELETE".equals(rs.getString(2))));
              }
            }
          }
          return new ChangePage(out, v[1], v[3]);
        });
  }

  @Override
  public List<Change> append(
      VaultName vault, long expectedHeadSeq, List<NewChange> changes, String device, Instant time)
      throws IOException {
    if (changes.isEmpty()) {
      return List.of();
    }
    return db.transaction(
        c -> {
          long[] v = requireVault(c, vault);
          if (v[1] != expectedHeadSeq) {
            throw new IllegalStateException(
                "vault "
                    + vault
                    + " is at seq "
                    + v[1]
                    + "; the append expected "
                    + expectedHeadSeq);
          }
          List<Change> out = new ArrayList<>(changes.size());
          long seq = v[1];
          try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO changes (vault_id, seq, op, path, previous_path, hash, size,"
                          + " device, time_ms, confirmed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
              PreparedStatement upsert =
                  c.prepareStatement(
                      "INSERT OR REPLACE INTO head (vault_id, path, hash, size, seq)"
                          + " VALUES (?, ?, ?, ?, ?)");
              PreparedStatement remove =
                  c.prepareStatement("DELETE FROM head WHERE vault_id = ? AND path = ?");
              VersionRows versions = new VersionRows(c)) {
            for (NewChange n : changes) {
              Change ch =
                  new Change(
                      ++seq,
                      n.op(),
                      n.path(),
                      n.previousPath(),
                      n.hash(),
                      n.size(),
                      device,
                      time,
                      n.confirmed());
              insert.setLong(1, v[0]);
              insert.setLong(2, seq);
              insert.setString(3, n.op().name());
              insert.setString(4, n.path().value());
              insert.setString(5, n.previousPath() == null ? null : n.previousPath().value());
              insert.setBytes(6, n.hash().toBytes());
              insert.setLong(7, n.size());
              insert.setString(8, device);
              insert.setLong(9, time.toEpochMilli());
              insert.setInt(10, n.confirmed() ? 1 : 0);
              insert.addBatch();
              versions.record(v[0], ch); // before head changes: it reads the replaced version
              if (n.op() == Change.Op.DELETE || n.op() == Change.Op.MOVE) {
                remove.setLong(1, v[0]);
                remove.setString(
                    2, (n.op() == Change.Op.MOVE ? n.previousPath() : n.path()).value());
                remove.executeUpdate();
              }
              if (n.op() != Change.Op.DELETE) {
                upsert.setLong(1, v[0]);
                upsert.setString(2, n.path().value());
                upsert.setBytes(3, n.hash().toBytes());
                upsert.setLong(4, n.size());
                upsert.setLong(5, seq);
                upsert.executeUpdate();
              }
              out.add(ch);
            }
            insert.executeBatch();
            versions.flush(v[0]);
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "UPDATE vaults SET head_seq = ?, last_change_ms = ? WHERE id = ?")) {
            ps.setLong(1, seq);
            ps.setLong(2, time.toEpochMilli());
            ps.setLong(3, v[0]);
            ps.executeUpdate();
          }
          return out;
        });
  }

  @Override
  public VersionHistory history() {
    return history;
  }

  @Override
  public long mirroredSeq(VaultName vault) throws IOException {
    return db.read(c -> requireVault(c, vault)[2]);
  }

  @Override
  public void setMirroredSeq(VaultName vault, long seq) throws IOException {
    db.transaction(
        c -> {
          long[] v = requireVault(c, vault);
          if (seq < 0 || seq > v[1]) {
            throw new IllegalArgumentException(
                "mirrored seq " + seq + " for vault " + vault + " at seq " + v[1]);
          }
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE vaults SET mirrored_seq = ? WHERE id = ?")) {
            ps.setLong(1, seq);
            ps.setLong(2, v[0]);
            ps.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public SortedMap<NotePath, String> mirrorPending(VaultName vault) throws IOException {
    return db.read(
        c -> {
          long[] v = requireVault(c, vault);
          SortedMap<NotePath, String> out = new TreeMap<>();
          try (PreparedStatement ps =
              c.prepareStatement("SELECT path, reason FROM mirror_pending WHERE vault_id = ?")) {
            ps.setLong(1, v[0]);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.put(NotePath.of(rs.getString(1)), rs.getString(2));
              }
            }
          }
          return out;
        });
  }

  @Override
  public void recordMirrored(
      VaultName vault,
      long seq,
      Map<NotePath, String> failed,
      Collection<NotePath> written,
      Instant time)
      throws IOException {
    for (NotePath p : written) {
      if (failed.containsKey(p)) {
        throw new IllegalArgumentException(p + " is both written and failed");
      }
    }
    db.transaction(
        c -> {
          long[] v = requireVault(c, vault);
          if (seq < 0 || seq > v[1]) {
            throw new IllegalArgumentException(
                "mirrored seq " + seq + " for vault " + vault + " at seq " + v[1]);
          }
          if (!written.isEmpty() && hasPending(c, v[0])) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM mirror_pending WHERE vault_id = ? AND path = ?")) {
              for (NotePath p : written) {
                ps.setLong(1, v[0]);
                ps.setString(2, p.value());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          if (!failed.isEmpty()) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "INSERT INTO mirror_pending (vault_id, path, reason, since_ms)"
                        + " VALUES (?, ?, ?, ?)"
                        + " ON CONFLICT (vault_id, path) DO UPDATE SET reason = excluded.reason")) {
              for (Map.Entry<NotePath, String> e : failed.entrySet()) {
                ps.setLong(1, v[0]);
                ps.setString(2, e.getKey().value());
                ps.setString(3, e.getValue());
                ps.setLong(4, time.toEpochMilli());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          if (seq > v[2]) {
            try (PreparedStatement ps =
                c.prepareStatement("UPDATE vaults SET mirrored_seq = ? WHERE id = ?")) {
              ps.setLong(1, seq);
              ps.setLong(2, v[0]);
              ps.executeUpdate();
            }
          }
          return null;
        });
  }

  private static boolean hasPending(Connection c, long vaultId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT 1 FROM mirror_pending WHERE vault_id = ? LIMIT 1")) {
      ps.setLong(1, vaultId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public Set<NotePath> pathsChangedAfter(VaultName vault, long afterSeq) throws IOException {
    return db.read(
        c -> {
          long[] v = requireVault(c, vault);
          Set<NotePath> out = new HashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path, previous_path FROM changes WHERE vault_id = ? AND seq > ?")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, afterSeq);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(NotePath.of(rs.getString(1)));
                String previous = rs.getString(2);
                if (previous != null) {
                  out.add(NotePath.of(previous));
                }
              }
            }
          }
          return out;
        });
  }

  @Override
  public void close() throws IOException {
    db.close();
  }

  private static Long vaultId(Connection c, VaultName vault) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id FROM vaults WHERE name = ?")) {
      ps.setString(1, vault.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? rs.getLong(1) : null;
      }
    }
  }

  /** {id, head_seq, mirrored_seq, horizon_seq} of the vault, or NotFoundException. */
  static long[] requireVault(Connection c, VaultName vault) throws SQLException, IOException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT id, head_seq, mirrored_seq, horizon_seq FROM vaults WHERE name = ?")) {
      ps.setString(1, vault.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw LedgerStore.noVault(vault);
        }
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)};
      }
    }
  }

  private static RemoteEntry head(Connection c, long vaultId, NotePath path) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT hash, size, seq FROM head WHERE vault_id = ? AND path = ?")) {
      ps.setLong(1, vaultId);
      ps.setString(2, path.value());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next()
            ? new RemoteEntry(path, ContentHash.of(rs.getBytes(1)), rs.getLong(2), rs.getLong(3))
            : null;
      }
    }
  }
}
