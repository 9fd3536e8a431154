package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@link VersionHistory} over the {@code versions} table of the server's SQLite database (schema
 * version 3, see {@code SqliteDatabase}); the ledger store writes its rows. Each row knows the seq
 * that ended it, so the files at seq S are one indexed query ({@code seq <= S < ended_seq}, not a
 * delete) rather than a fold, and a row that retention deletes leaves the others correct.
 */
public final class SqliteVersionHistory implements VersionHistory {
  private static final String COLUMNS =
      "seq, time_ms, device, op, path, previous_path, hash, size, file_id";

  private final SqliteDatabase db;

  public SqliteVersionHistory(SqliteDatabase db) {
    this.db = Objects.requireNonNull(db, "db");
  }

  @Override
  public List<FileVersion> versions(VaultName vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    if (beforeSeq < 1 || limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException(
          "versions before seq "
              + beforeSeq
              + ", limit "
              + limit
              + "; expected a seq >= 1 and a limit of 1 to "
              + MAX_LIMIT);
    }
    return db.read(
        c -> {
          long[] v = vault(c, vault);
          String sql =
              path == null
                  ? "SELECT "
                      + COLUMNS
                      + " FROM versions WHERE vault_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"
                  : "SELECT * FROM (SELECT "
                      + COLUMNS
                      + " FROM versions WHERE vault_id = ? AND path = ? AND seq < ?"
                      + " ORDER BY seq DESC LIMIT ?)"
                      + " UNION ALL SELECT * FROM (SELECT "
                      + COLUMNS
                      + " FROM versions WHERE vault_id = ? AND previous_path = ? AND seq < ?"
                      + " ORDER BY seq DESC LIMIT ?)"
                      + " ORDER BY seq DESC LIMIT ?";
          List<FileVersion> out = new ArrayList<>();
          try (PreparedStatement ps = c.prepareStatement(sql)) {
            if (path == null) {
              ps.setLong(1, v[0]);
              ps.setLong(2, beforeSeq);
              ps.setInt(3, limit);
            } else {
              for (int i = 0; i < 2; i++) {
                ps.setLong(4 * i + 1, v[0]);
                ps.setString(4 * i + 2, path.value());
                ps.setLong(4 * i + 3, beforeSeq);
                ps.setInt(4 * i + 4, limit);
              }
              ps.setInt(9, limit);
            }
            try (ResultSet rs = ps.executeQuery()) {
              while (rs.next()) {
                out.add(version(rs));
              }
            }
          }
          return out;
        });
  }

  @Override
  public RemoteManifest manifestAt(VaultName vault, long seq) throws IOException {
    checkSeq(seq);
    return db.read(
        c -> {
          long[] v = vault(c, vault);
          long at = Math.min(seq, v[1]);
          checkFloor(vault, v, at);
          List<RemoteEntry> entries = new ArrayList<>();
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT path, hash, size, seq FROM versions WHERE vault_id = ? AND seq <= ?"
                      + " AND op <> 'DELETE' AND (ended_seq IS NULL OR ended_seq > ?)"
                      + " ORDER BY path")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, at);
            ps.setLong(3, at);
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
          return new RemoteManifest(at, entries);
        });
  }

  @Override
  public long seqAt(VaultName vault, Instant time) throws IOException {
    Objects.requireNonNull(time, "time");
    long ms;
    try {
      ms = time.toEpochMilli();
    } catch (ArithmeticException e) {
      ms = time.isBefore(Instant.EPOCH) ? Long.MIN_VALUE : Long.MAX_VALUE;
    }
    long millis = ms;
    return db.read(
        c -> {
          long[] v = vault(c, vault);
          // Both tables: retention may have thinned history, compaction the ledger.
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT max(coalesce((SELECT max(seq) FROM versions"
                      + " WHERE vault_id = ? AND time_ms <= ?), 0),"
                      + " coalesce((SELECT max(seq) FROM changes"
                      + " WHERE vault_id = ? AND time_ms <= ?), 0))")) {
            ps.setLong(1, v[0]);
            ps.setLong(2, millis);
            ps.setLong(3, v[0]);
            ps.setLong(4, millis);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Math.min(rs.getLong(1), v[1]) : 0L;
            }
          }
        });
  }

  @Override
  public OptionalLong fileIdAt(VaultName vault, NotePath path, long seq) throws IOException {
    Objects.requireNonNull(path, "path");
    checkSeq(seq);
    return db.read(
        c -> {
          long[] v = vault(c, vault);
          long at = Math.min(seq, v[1]);
          checkFloor(vault, v, at);
          try (PreparedStatement ps =
              c.prepareStatement(
                  "SELECT file_id FROM versions WHERE vault_id = ? AND path = ? AND seq <= ?"
                      + " AND op <> 'DELETE' AND (ended_seq IS NULL OR ended_seq > ?)"
                      + " ORDER BY seq DESC LIMIT 1")) {
            ps.setLong(1, v[0]);
            ps.setString(2, path.value());
            ps.setLong(3, at);
            ps.setLong(4, at);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? OptionalLong.of(rs.getLong(1)) : OptionalLong.empty();
            }
          }
        });
  }

  private static void checkSeq(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + "; expected >= 0");
    }
  }

  private static void checkFloor(VaultName vault, long[] v, long at) throws NotFoundException {
    if (at < v[2]) {
      throw new NotFoundException(
          "history before seq " + v[2] + " was thinned (vault \"" + vault + "\", seq " + at + ")");
    }
  }

  /** {id, head_seq, history_floor} of the vault, or NotFoundException. */
  private static long[] vault(Connection c, VaultName vault) throws SQLException, IOException {
    try (PreparedStatement ps =
        c.prepareStatement("SELECT id, head_seq, history_floor FROM vaults WHERE name = ?")) {
      ps.setString(1, vault.value());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw LedgerStore.noVault(vault);
        }
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
      }
    }
  }

  private static FileVersion version(ResultSet rs) throws SQLException {
    String previous = rs.getString(6);
    return new FileVersion(
        rs.getLong(1),
        Instant.ofEpochMilli(rs.getLong(2)),
        rs.getString(3),
        Change.Op.valueOf(rs.getString(4)),
        NotePath.of(rs.getString(5)),
        previous == null ? null : NotePath.of(previous),
        ContentHash.of(rs.getBytes(7)),
        rs.getLong(8),
        rs.getLong(9));
  }
}
