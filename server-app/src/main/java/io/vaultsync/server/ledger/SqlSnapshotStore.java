package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * {@link SnapshotStore} in the server's SQLite database: tables {@code snapshots} (one row per
 * snapshot: seq, file count, bytes, Merkle root, time) and {@code snapshot_entries} (a copy of the
 * {@code head} rows at that seq), schema version 2 ({@link Database}). Taking a snapshot is one
 * transaction that reads head in path order (SQLite's BINARY collation on UTF-8 is the {@link
 * NotePath} order the Merkle root needs) and copies it; so is a compaction.
 */
public final class SqlSnapshotStore implements SnapshotStore {
  private static final String INFO_COLUMNS = "seq, files, bytes, root, time_ms";

  private final Database db;

  /** Whether compaction waits for the master folders (never past their mirrored seq). */
  private final boolean masterFolders;

  /** A store whose compaction never passes what the master folders mirror. */
  public SqlSnapshotStore(Database db) {
    this(db, true);
  }

  /**
   * A store of a server with ({@code masterFolders}) or without master folders; without, the
   * mirrored seq never moves and compaction is bounded by the snapshots alone.
   */
  public SqlSnapshotStore(Database db, boolean masterFolders) {
    this.db = db;
    this.masterFolders = masterFolders;
  }

  @Override
  public SnapshotInfo take(VaultName vault, Instant time) throws IOException {
    return db.transaction(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          SnapshotInfo newest =
              Sql.first(
                  c,
                  "SELECT "
                      + INFO_COLUMNS
                      + " FROM snapshots WHERE vault_id = ? ORDER BY seq DESC LIMIT 1",
                  SqlSnapshotStore::info,
                  v.id());
          if (newest != null && newest.seq() == v.headSeq()) {
            return newest;
          }
          MerkleTree tree = new MerkleTree();
          long[] bytes = {0};
          Sql.forEach(
              c,
              "SELECT path, hash, size FROM head WHERE vault_id = ? ORDER BY path",
              rs -> {
                tree.add(NotePath.of(rs.getString(1)), ContentHash.of(rs.getBytes(2)));
                bytes[0] += rs.getLong(3);
              },
              v.id());
          Instant stored = Instant.ofEpochMilli(time.toEpochMilli()); // as list() reads it back
          SnapshotInfo info =
              new SnapshotInfo(v.headSeq(), tree.count(), bytes[0], tree.root(), stored);
          Sql.update(
              c,
              "INSERT INTO snapshots (vault_id, seq, files, bytes, root, time_ms)"
                  + " VALUES (?, ?, ?, ?, ?, ?)",
              v.id(),
              info.seq(),
              info.files(),
              info.bytes(),
              info.root().toBytes(),
              stored.toEpochMilli());
          Sql.update(
              c,
              "INSERT INTO snapshot_entries (vault_id, snapshot_seq, path, hash, size, seq)"
                  + " SELECT vault_id, ?, path, hash, size, seq FROM head WHERE vault_id = ?",
              info.seq(),
              v.id());
          return info;
        });
  }

  @Override
  public List<SnapshotInfo> list(VaultName vault) throws IOException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT " + INFO_COLUMNS + " FROM snapshots WHERE vault_id = ? ORDER BY seq",
                SqlSnapshotStore::info,
                VaultRow.require(c, vault).id()));
  }

  @Override
  public RemoteManifest entries(VaultName vault, long seq) throws IOException {
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          if (!Sql.exists(
              c, "SELECT 1 FROM snapshots WHERE vault_id = ? AND seq = ?", v.id(), seq)) {
            throw new NotFoundException("vault \"" + vault + "\" keeps no snapshot at seq " + seq);
          }
          return new RemoteManifest(
              seq,
              Sql.list(
                  c,
                  "SELECT path, hash, size, seq FROM snapshot_entries"
                      + " WHERE vault_id = ? AND snapshot_seq = ? ORDER BY path",
                  LedgerRows::entry,
                  v.id(),
                  seq));
        });
  }

  @Override
  public int prune(VaultName vault, int keep) throws IOException {
    if (keep < 1) {
      throw new IllegalArgumentException(
          "keeping " + keep + " snapshots of vault " + vault + "; expected at least 1");
    }
    return db.transaction(
        c -> {
          long id = VaultRow.require(c, vault).id();
          return Sql.update(
              c,
              "DELETE FROM snapshots WHERE vault_id = ? AND seq NOT IN"
                  + " (SELECT seq FROM snapshots WHERE vault_id = ? ORDER BY seq DESC LIMIT ?)",
              id,
              id,
              keep);
        });
  }

  @Override
  public Compaction compact(VaultName vault, Instant olderThan) throws IOException {
    return db.transaction(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          long horizon = v.horizonSeq();
          Long oldest = Sql.number(c, "SELECT min(seq) FROM snapshots WHERE vault_id = ?", v.id());
          if (oldest == null) {
            return new Compaction(vault, horizon, horizon, 0, -1);
          }
          // never past what the master folders mirror, where there are any
          long upTo = masterFolders ? Math.min(oldest, v.mirroredSeq()) : oldest;
          if (olderThan != null) {
            Long firstRecent =
                Sql.number(
                    c,
                    "SELECT min(seq) FROM changes WHERE vault_id = ? AND time_ms >= ?",
                    v.id(),
                    olderThan.toEpochMilli());
            if (firstRecent != null) {
              upTo = Math.min(upTo, firstRecent - 1);
            }
          }
          if (upTo <= horizon) {
            return new Compaction(vault, horizon, horizon, 0, oldest);
          }
          int deleted =
              Sql.update(c, "DELETE FROM changes WHERE vault_id = ? AND seq <= ?", v.id(), upTo);
          Sql.update(c, "UPDATE vaults SET horizon_seq = ? WHERE id = ?", upTo, v.id());
          return new Compaction(vault, horizon, upTo, deleted, oldest);
        });
  }

  @Override
  public long horizon(VaultName vault) throws IOException {
    return db.read(c -> VaultRow.require(c, vault).horizonSeq());
  }

  /** ({@link #INFO_COLUMNS}) */
  private static SnapshotInfo info(ResultSet rs) throws SQLException {
    return new SnapshotInfo(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        MerkleRoot.of(rs.getBytes(4)),
        Instant.ofEpochMilli(rs.getLong(5)));
  }
}
