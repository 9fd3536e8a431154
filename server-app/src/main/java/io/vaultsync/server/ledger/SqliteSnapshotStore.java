package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link SnapshotStore} in the server's SQLite database: tables {@code snapshots} (one row per
 * snapshot: seq, file count, bytes, Merkle root, time) and {@code snapshot_entries} (a copy of the
 * {@code head} rows at that seq), schema version 2 ({@link SqliteDatabase}). Taking a snapshot is
 * one transaction that reads head in path order (SQLite's BINARY collation on UTF-8 is the {@link
 * NotePath} order the Merkle root needs) and copies it; so is a compaction.
 */
public final class SqliteSnapshotStore implements SnapshotStore {
  private final SqliteDatabase db;

  public SqliteSnapshotStore(SqliteDatabase db) {
    this.db = db;
  }

  @Override
  public SnapshotInfo take(VaultName vault, Instant time) throws IOException {
    return db.transaction(
        c -> {
          long[] v = SqliteLedgerStore.requireVault(c, vault);
          SnapshotInfo newest = newest(c, v[0]);
          if (newest != null && newest.seq() == v[1]) {
            return newest;
          }
          MerkleTree tree = new MerkleTree();
          long bytes = 0;
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path, hash, size FROM head WHERE vault_id = ? ORDER BY path")) {
            ps.setLong(1, v[0]);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                tree.add(NotePath.of(rs.getString(1)), ContentHash.of(rs.getBytes(2)));
                bytes += rs.getLong(3);
              }
            }
          }
          Instant stored = Instant.ofEpochMilli(time.toEpochMilli()); // as list() reads it back
          SnapshotInfo info = new SnapshotInfo(v[1], tree.count(), bytes, tree.root(), stored);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO snapshots (vault_id, seq, files, bytes, root, time_ms)"
                      + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, info.seq());
            ps.setLong(3, info.files());
            ps.setLong(4, info.bytes());
            ps.setBytes(5, info.root().toBytes());
            ps.setLong(6, stored.toEpochMilli());
            ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO snapshot_entries (vault_id, snapshot_seq, path, hash, size, seq)"
                      + " SELECT vault_id, ?, path, hash, size, seq FROM head WHERE vault_id = ?")) {
            ps.setLong(1, info.seq());
            ps.setLong(2, v[0]);
            ps.executeUpdate();
          }
          return info;
        });
  }

  @Override
  public List<SnapshotInfo> list(VaultName vault) throws IOException {
    return db.read(
        c -> {
          long[] v = SqliteLedgerStore.requireVault(c, vault);
          List<SnapshotInfo> out = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT seq, files, bytes, root, time_ms FROM snapshots WHERE vault_id = ?"
                      + " ORDER BY seq")) {
            ps.setLong(1, v[0]);
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(info(rs));
              }
            }
          }
          return out;
        });
  }

  @Override
  public RemoteManifest entries(VaultName vault, long seq) throws IOException {
    return db.read(
        c -> {
          long[] v = SqliteLedgerStore.requireVault(c, vault);
          try (PreparedStatement ps =
              c.prepareStatement("SELECT 1 FROM snapshots WHERE vault_id = ? AND seq = ?")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, seq);
            try (ResultSet rs = ps.executeQuery()) {
              if (!rs.next()) {
                throw new NotFoundException(
                    "vault \"" + vault + "\" keeps no snapshot at seq " + seq);
              }
            }
          }
          List<RemoteEntry> entries = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path, hash, size, seq FROM snapshot_entries"
                      + " WHERE vault_id = ? AND snapshot_seq = ? ORDER BY path")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, seq);
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
          return new RemoteManifest(seq, entries);
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
          long[] v = SqliteLedgerStore.requireVault(c, vault);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "DELETE FROM snapshots WHERE vault_id = ? AND seq NOT IN"
                      + " (SELECT seq FROM snapshots WHERE vault_id = ? ORDER BY seq DESC LIMIT ?)")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, v[0]);
            ps.setInt(3, keep);
            return ps.executeUpdate();
          }
        });
  }

  @Override
  public Compaction compact(VaultName vault, Instant olderThan) throws IOException {
    return db.transaction(
        c -> {
          long[] v = SqliteLedgerStore.requireVault(c, vault);
          long horizon = v[3];
          long oldest = -1;
          try (PreparedStatement ps =
              c.prepareStatement("SELECT min(seq) FROM snapshots WHERE vault_id = ?")) {
            ps.setLong(1, v[0]);
            try (ResultSet rs = ps.executeQuery()) {
              if (rs.next()) {
                oldest = rs.getLong(1);
                if (rs.wasNull()) {
                  oldest = -1;
                }
              }
            }
          }
          if (oldest < 0) {
            return new Compaction(vault, horizon, horizon, 0, -1);
          }
          long upTo = Math.min(oldest, v[2]); // never past what the master folder mirrors
          if (olderThan != null) {
            try (PreparedStatement ps =
                c.prepareStatement(
                    "SELECT min(seq) FROM changes WHERE vault_id = ? AND time_ms >= ?")) {
              ps.setLong(1, v[0]);
              ps.setLong(2, olderThan.toEpochMilli());
              try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                  long firstRecent = rs.getLong(1);
                  if (!rs.wasNull()) {
                    upTo = Math.min(upTo, firstRecent - 1);
                  }
                }
              }
            }
          }
          if (upTo <= horizon) {
            return new Compaction(vault, horizon, horizon, 0, oldest);
          }
          int deleted;
          try (PreparedStatement ps =
              c.prepareStatement("DELETE FROM changes WHERE vault_id = ? AND seq <= ?")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, upTo);
            deleted = ps.executeUpdate();
          }
          try (PreparedStatement ps =
              c.prepareStatement("UPDATE vaults SET horizon_seq = ? WHERE id = ?")) {
            ps.setLong(1, upTo);
            ps.setLong(2, v[0]);
            ps.executeUpdate();
          }
          return new Compaction(vault, horizon, upTo, deleted, oldest);
        });
  }

  @Override
  public long horizon(VaultName vault) throws IOException {
    return db.read(c -> SqliteLedgerStore.requireVault(c, vault)[3]);
  }

  private static SnapshotInfo newest(Connection c, long vaultId) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT seq, files, bytes, root, time_ms FROM snapshots WHERE vault_id = ?"
                + " ORDER BY seq DESC LIMIT 1")) {
      ps.setLong(1, vaultId);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? info(rs) : null;
      }
    }
  }

  private static SnapshotInfo info(ResultSet rs) throws SQLException {
    return new SnapshotInfo(
        rs.getLong(1),
        rs.getLong(2),
        rs.getLong(3),
        MerkleRoot.of(rs.getBytes(4)),
        Instant.ofEpochMilli(rs.getLong(5)));
  }
}
