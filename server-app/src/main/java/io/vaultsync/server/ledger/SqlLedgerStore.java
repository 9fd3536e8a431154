package io.vaultsync.server.ledger;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * {@link LedgerStore} in SQL ({@link Database}: SQLite or PostgreSQL): tables {@code vaults},
 * {@code changes} (primary key vault + seq, so "changes since" is one range scan), {@code head} and
 * {@code versions} (the history, {@link VersionRows}). An append of any number of changes is one
 * transaction, hence one WAL fsync, and writes the ledger, head and history together.
 */
public final class SqlLedgerStore implements LedgerStore {
  private final Database db;
  private final SqlVersionHistory history;
  private final SqlFolderMoves folderMoves;

  public SqlLedgerStore(Database db) {
    this.db = db;
    this.history = new SqlVersionHistory(db);
    this.folderMoves = new SqlFolderMoves(db);
  }

  @Override
  public void recordFolderMoves(VaultName vault, List<Change> moves) throws IOException {
    folderMoves.record(vault, moves);
  }

  @Override
  public List<Change> folderMoves(VaultName vault, long afterSeq, long atMost) throws IOException {
    return folderMoves.between(vault, afterSeq, atMost);
  }

  @Override
  public void createVault(VaultName vault, Instant time) throws IOException {
    db.transaction(
        c -> {
          if (VaultRow.find(c, vault) != null) {
            throw new IllegalArgumentException("vault \"" + vault + "\" already exists");
          }
          return Sql.update(
              c,
              "INSERT INTO vaults (name, created_ms) VALUES (?, ?)",
              vault.value(),
              time.toEpochMilli());
        });
  }

  @Override
  public boolean exists(VaultName vault) throws IOException {
    return db.read(c -> VaultRow.find(c, vault) != null);
  }

  @Override
  public List<VaultInfo> vaults() throws IOException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT v.name, v.head_seq,"
                    + " (SELECT count(*) FROM head h WHERE h.vault_id = v.id),"
                    + " (SELECT coalesce(sum(size), 0) FROM head h WHERE h.vault_id = v.id),"
                    + " v.last_change_ms"
                    + " FROM vaults v ORDER BY v.name",
                rs -> {
                  long last = rs.getLong(5);
                  Instant lastChange = rs.wasNull() ? null : Instant.ofEpochMilli(last);
                  return new VaultInfo(
                      rs.getString(1), rs.getLong(3), rs.getLong(4), rs.getLong(2), lastChange);
                }));
  }

  @Override
  public long headSeq(VaultName vault) throws IOException {
    return db.read(c -> VaultRow.require(c, vault).headSeq());
  }

  @Override
  public Optional<RemoteEntry> head(VaultName vault, NotePath path) throws IOException {
    return db.read(
        c ->
            Optional.ofNullable(
                Sql.first(
                    c,
                    "SELECT path, hash, size, seq FROM head WHERE vault_id = ? AND path = ?",
                    LedgerRows::entry,
                    VaultRow.require(c, vault).id(),
                    path.value())));
  }

  /**
   * {@inheritDoc} One read, one statement run once per path (a primary-key seek each): a first
   * upload of 500 files cost 1,000 statements prepared and run (the vault row, then the head row,
   * for each file), now 502.
   */
  @Override
  public Map<NotePath, RemoteEntry> heads(VaultName vault, Collection<NotePath> paths)
      throws IOException {
    if (paths.isEmpty()) {
      return Map.of();
    }
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          Map<NotePath, RemoteEntry> out = new HashMap<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path, hash, size, seq FROM head WHERE vault_id = ? AND path = ?")) {
            for (NotePath p : paths) {
              Sql.bind(ps, v.id(), p.value());
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  out.put(p, LedgerRows.entry(rs));
                }
              }
            }
          }
          return out;
        });
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
        c ->
            Sql.list(
                c,
                "SELECT path FROM head WHERE vault_id = ? AND path > ? AND path < ?"
                    + " ORDER BY path LIMIT ?",
                rs -> NotePath.of(rs.getString(1)),
                VaultRow.require(c, vault).id(),
                lower,
                upper,
                limit));
  }

  /** {@inheritDoc} One read, one statement run once per path (a primary-key seek each). */
  @Override
  public Set<NotePath> foldersAmong(VaultName vault, Collection<NotePath> paths)
      throws IOException {
    if (paths.isEmpty()) {
      return Set.of();
    }
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          Set<NotePath> out = new HashSet<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT 1 FROM head WHERE vault_id = ? AND path > ? AND path < ? LIMIT 1")) {
            for (NotePath p : paths) {
              Sql.bind(ps, v.id(), p.value() + "/", p.value() + "0"); // '0' follows '/'
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
          VaultRow v = VaultRow.require(c, vault);
          return new RemoteManifest(
              v.headSeq(),
              Sql.list(
                  c,
                  "SELECT path, hash, size, seq FROM head WHERE vault_id = ? ORDER BY path",
                  LedgerRows::entry,
                  v.id()));
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
          VaultRow v = VaultRow.require(c, vault);
          if (afterSeq < v.horizonSeq()) {
            // compacted: catch up from a snapshot
            return new ChangePage(List.of(), v.headSeq(), v.horizonSeq());
          }
          List<Change> out =
              Sql.list(
                  c,
                  "SELECT "
                      + LedgerRows.CHANGE_COLUMNS
                      + ", confirmed FROM changes WHERE vault_id = ? AND seq > ? ORDER BY seq"
                      + " LIMIT ?",
                  rs ->
                      LedgerRows.change(rs, rs.getInt(9) == 1 && "DELETE".equals(rs.getString(2))),
                  v.id(),
                  afterSeq,
                  limit);
          return new ChangePage(out, v.headSeq(), v.horizonSeq());
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
          VaultRow v = VaultRow.require(c, vault);
          if (v.headSeq() != expectedHeadSeq) {
            throw new IllegalStateException(
                "vault "
                    + vault
                    + " is at seq "
                    + v.headSeq()
                    + "; the append expected "
                    + expectedHeadSeq);
          }
          // Advance the head first, as a compare-and-set: on PostgreSQL this takes the vault row's
          // lock, so two processes appending at once serialize here and the later one sees the
          // head moved (nothing written); seqs stay gap-free either way.
          if (Sql.update(
                  c,
                  "UPDATE vaults SET head_seq = ?, last_change_ms = ? WHERE id = ? AND head_seq = ?",
                  expectedHeadSeq + changes.size(),
                  time.toEpochMilli(),
                  v.id(),
                  expectedHeadSeq)
              != 1) {
            throw new IllegalStateException(
                "vault " + vault + " moved past seq " + expectedHeadSeq + " during the append");
          }
          List<Change> out = new ArrayList<>(changes.size());
          long seq = v.headSeq();
          try (PreparedStatement insert =
                  c.prepareStatement(
                      "INSERT INTO changes (vault_id, seq, op, path, previous_path, hash, size,"
                          + " device, time_ms, confirmed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
              PreparedStatement upsert =
                  c.prepareStatement(
                      "INSERT INTO head (vault_id, path, hash, size, seq) VALUES (?, ?, ?, ?, ?)"
                          + " ON CONFLICT (vault_id, path) DO UPDATE SET hash = excluded.hash,"
                          + " size = excluded.size, seq = excluded.seq");
              PreparedStatement remove =
                  c.prepareStatement("DELETE FROM head WHERE vault_id = ? AND path = ?");
              VersionRows versions = new VersionRows(c)) {
            for (NewChange n : changes) {
              Change ch = n.recorded(++seq, device, time);
              Sql.bind(
                  insert,
                  v.id(),
                  seq,
                  n.op().name(),
                  n.path().value(),
                  LedgerRows.valueOrNull(n.previousPath()),
                  n.hash().toBytes(),
                  n.size(),
                  device,
                  time.toEpochMilli(),
                  n.confirmed() ? 1 : 0);
              insert.addBatch();
              versions.record(v.id(), ch); // before head changes: it reads the replaced version
              if (n.op() == Change.Op.DELETE || n.op() == Change.Op.MOVE) {
                Sql.bind(
                    remove,
                    v.id(),
                    (n.op() == Change.Op.MOVE ? n.previousPath() : n.path()).value());
                remove.executeUpdate();
              }
              if (n.op() != Change.Op.DELETE) {
                Sql.bind(upsert, v.id(), n.path().value(), n.hash().toBytes(), n.size(), seq);
                upsert.executeUpdate();
              }
              out.add(ch);
            }
            insert.executeBatch();
            versions.flush(v.id());
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
    return db.read(c -> VaultRow.require(c, vault).mirroredSeq());
  }

  @Override
  public void setMirroredSeq(VaultName vault, long seq) throws IOException {
    db.transaction(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          checkMirroredSeq(vault, v, seq);
          return Sql.update(c, "UPDATE vaults SET mirrored_seq = ? WHERE id = ?", seq, v.id());
        });
  }

  private static void checkMirroredSeq(VaultName vault, VaultRow v, long seq) {
    if (seq < 0 || seq > v.headSeq()) {
      throw new IllegalArgumentException(
          "mirrored seq " + seq + " for vault " + vault + " at seq " + v.headSeq());
    }
  }

  @Override
  public SortedMap<NotePath, String> mirrorPending(VaultName vault) throws IOException {
    return db.read(
        c -> {
          SortedMap<NotePath, String> out = new TreeMap<>();
          Sql.forEach(
              c,
              "SELECT path, reason FROM mirror_pending WHERE vault_id = ?",
              rs -> out.put(NotePath.of(rs.getString(1)), rs.getString(2)),
              VaultRow.require(c, vault).id());
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
          VaultRow v = VaultRow.require(c, vault);
          checkMirroredSeq(vault, v, seq);
          if (!written.isEmpty()
              && Sql.exists(c, "SELECT 1 FROM mirror_pending WHERE vault_id = ? LIMIT 1", v.id())) {
            try (PreparedStatement ps =
                c.prepareStatement("DELETE FROM mirror_pending WHERE vault_id = ? AND path = ?")) {
              for (NotePath p : written) {
                Sql.bind(ps, v.id(), p.value());
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
                Sql.bind(ps, v.id(), e.getKey().value(), e.getValue(), time.toEpochMilli());
                ps.addBatch();
              }
              ps.executeBatch();
            }
          }
          if (seq > v.mirroredSeq()) {
            Sql.update(c, "UPDATE vaults SET mirrored_seq = ? WHERE id = ?", seq, v.id());
          }
          return null;
        });
  }

  @Override
  public Set<NotePath> pathsChangedAfter(VaultName vault, long afterSeq) throws IOException {
    return db.read(
        c -> {
          Set<NotePath> out = new HashSet<>();
          Sql.forEach(
              c,
              "SELECT path, previous_path FROM changes WHERE vault_id = ? AND seq > ?",
              rs -> {
                out.add(NotePath.of(rs.getString(1)));
                NotePath previous = LedgerRows.pathOrNull(rs.getString(2));
                if (previous != null) {
                  out.add(previous);
                }
              },
              VaultRow.require(c, vault).id(),
              afterSeq);
          return out;
        });
  }

  @Override
  public void close() throws IOException {
    db.close();
  }
}
