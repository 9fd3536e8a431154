package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.HistoryProtocol;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * {@link VersionHistory} over the {@code versions} table of the server's SQLite database (schema
 * version 3, see {@code SqliteDatabase}); the ledger store writes its rows. Each row knows the seq
 * that ended it, so the files at seq S are one indexed query ({@code seq <= S < ended_seq}, not a
 * delete) rather than a fold, and a row that retention deletes leaves the others correct.
 */
public final class SqlVersionHistory implements VersionHistory {
  private static final String COLUMNS =
      "seq, time_ms, device, op, path, previous_path, hash, size, file_id";

  private final Database db;

  public SqlVersionHistory(Database db) {
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
          long id = VaultRow.require(c, vault).id();
          String sql =
              path == null
                  ? "SELECT "
                      + COLUMNS
                      + " FROM versions WHERE vault_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?"
                  : "SELECT * FROM (SELECT "
                      + COLUMNS
                      + " FROM versions WHERE vault_id = ? AND path = ? AND seq < ?"
                      + " ORDER BY seq DESC LIMIT ?) AS at_path"
                      + " UNION ALL SELECT * FROM (SELECT "
                      + COLUMNS
                      + " FROM versions WHERE vault_id = ? AND previous_path = ? AND seq < ?"
                      + " ORDER BY seq DESC LIMIT ?) AS moved_from"
                      + " ORDER BY seq DESC LIMIT ?";
          Object[] params =
              path == null
                  ? new Object[] {id, beforeSeq, limit}
                  : new Object[] {
                    id, path.value(), beforeSeq, limit, id, path.value(), beforeSeq, limit, limit
                  };
          return Sql.list(c, sql, SqlVersionHistory::version, params);
        });
  }

  @Override
  public RemoteManifest manifestAt(VaultName vault, long seq) throws IOException {
    checkSeq(seq);
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          long at = checkFloor(vault, v, seq);
          return new RemoteManifest(
              at,
              Sql.list(
                  c,
                  "SELECT path, hash, size, seq FROM versions WHERE vault_id = ? AND seq <= ?"
                      + " AND op <> 'DELETE' AND (ended_seq IS NULL OR ended_seq > ?)"
                      + " ORDER BY path",
                  LedgerRows::entry,
                  v.id(),
                  at,
                  at));
        });
  }

  @Override
  public long seqAt(VaultName vault, Instant time) throws IOException {
    Objects.requireNonNull(time, "time");
    long millis = HistoryProtocol.seqAtMillis(time);
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          // Both tables: retention may have thinned history, compaction the ledger.
          Long seq =
              Sql.number(
                  c,
                  "SELECT max(seq) FROM (SELECT max(seq) AS seq FROM versions"
                      + " WHERE vault_id = ? AND time_ms <= ?"
                      + " UNION ALL SELECT max(seq) FROM changes"
                      + " WHERE vault_id = ? AND time_ms <= ?) AS latest",
                  v.id(),
                  millis,
                  v.id(),
                  millis);
          return seq == null ? 0L : Math.min(seq, v.headSeq());
        });
  }

  @Override
  public OptionalLong fileIdAt(VaultName vault, NotePath path, long seq) throws IOException {
    Objects.requireNonNull(path, "path");
    checkSeq(seq);
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          long at = checkFloor(vault, v, seq);
          Long id =
              Sql.number(
                  c,
                  "SELECT file_id FROM versions WHERE vault_id = ? AND path = ? AND seq <= ?"
                      + " AND op <> 'DELETE' AND (ended_seq IS NULL OR ended_seq > ?)"
                      + " ORDER BY seq DESC LIMIT 1",
                  v.id(),
                  path.value(),
                  at,
                  at);
          return id == null ? OptionalLong.empty() : OptionalLong.of(id);
        });
  }

  private static void checkSeq(long seq) {
    if (seq < 0) {
      throw new IllegalArgumentException("seq " + seq + "; expected >= 0");
    }
  }

  /**
   * The seq to read the vault at, {@code min(seq, head)}.
   *
   * @throws NotFoundException if the history below it was thinned
   */
  private static long checkFloor(VaultName vault, VaultRow v, long seq) throws NotFoundException {
    long at = Math.min(seq, v.headSeq());
    if (at < v.historyFloor()) {
      throw new NotFoundException(
          "history before seq "
              + v.historyFloor()
              + " was thinned (vault \""
              + vault
              + "\", seq "
              + at
              + ")");
    }
    return at;
  }

  /** ({@link #COLUMNS}) */
  private static FileVersion version(ResultSet rs) throws SQLException {
    return new FileVersion(
        rs.getLong(1),
        Instant.ofEpochMilli(rs.getLong(2)),
        rs.getString(3),
        Change.Op.valueOf(rs.getString(4)),
        NotePath.of(rs.getString(5)),
        LedgerRows.pathOrNull(rs.getString(6)),
        ContentHash.of(rs.getBytes(7)),
        rs.getLong(8),
        rs.getLong(9));
  }
}
