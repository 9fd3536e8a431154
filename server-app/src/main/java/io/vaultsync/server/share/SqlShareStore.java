package io.vaultsync.server.share;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * {@link ShareStore} in the server's SQLite database, table {@code shares}. The table is created
 * with {@code CREATE TABLE IF NOT EXISTS} when the store opens rather than by a schema version
 * step: it stands alone (no other table refers to it), so it needs no migration and cannot conflict
 * with the numbered ledger migrations.
 */
public final class SqlShareStore implements ShareStore {
  private static final String COLUMNS =
      "id, vault, path, kind, file_id, created_ms, created_by, expires_ms, password_hash, revoked";

  private final Database db;

  public SqlShareStore(Database db) throws IOException {
    this.db = db;
    db.createTablesIfMissing(
        "CREATE TABLE IF NOT EXISTS shares ("
            + " id TEXT PRIMARY KEY,"
            + " token_hash BLOB NOT NULL UNIQUE,"
            + " vault TEXT NOT NULL,"
            + " path TEXT NOT NULL,"
            + " kind TEXT NOT NULL CHECK (kind IN ('file','folder')),"
            + " file_id INTEGER NOT NULL,"
            + " created_ms INTEGER NOT NULL,"
            + " created_by TEXT NOT NULL,"
            + " expires_ms INTEGER,"
            + " password_hash TEXT,"
            + " revoked INTEGER NOT NULL DEFAULT 0)",
        "CREATE INDEX IF NOT EXISTS shares_by_vault ON shares (vault, created_ms)");
  }

  @Override
  public void insert(Share share, byte[] tokenHash) throws IOException {
    db.transaction(
        c ->
            Sql.update(
                c,
                "INSERT INTO shares (token_hash, "
                    + COLUMNS
                    + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tokenHash,
                share.id(),
                share.vault().value(),
                share.path().value(),
                share.folder() ? "folder" : "file",
                share.fileId(),
                share.created().toEpochMilli(),
                share.createdBy(),
                share.expires() == null ? null : share.expires().toEpochMilli(),
                share.passwordHash(),
                share.revoked() ? 1 : 0));
  }

  @Override
  public Optional<Share> findByTokenHash(byte[] tokenHash) throws IOException {
    return db.read(
        c ->
            Optional.ofNullable(
                Sql.first(
                    c,
                    "SELECT " + COLUMNS + " FROM shares WHERE token_hash = ?",
                    SqlShareStore::row,
                    tokenHash)));
  }

  @Override
  public List<Share> list(VaultName vault) throws IOException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT " + COLUMNS + " FROM shares WHERE vault = ? ORDER BY created_ms DESC, id",
                SqlShareStore::row,
                vault.value()));
  }

  @Override
  public boolean revoke(VaultName vault, String id) throws IOException {
    return db.transaction(
        c ->
            Sql.update(
                    c,
                    "UPDATE shares SET revoked = 1 WHERE vault = ? AND id = ?",
                    vault.value(),
                    id)
                > 0);
  }

  private static Share row(ResultSet rs) throws SQLException {
    long expires = rs.getLong(8);
    boolean noExpiry = rs.wasNull();
    return new Share(
        rs.getString(1),
        VaultName.of(rs.getString(2)),
        NotePath.of(rs.getString(3)),
        "folder".equals(rs.getString(4)),
        rs.getLong(5),
        Instant.ofEpochMilli(rs.getLong(6)),
        rs.getString(7),
        noExpiry ? null : Instant.ofEpochMilli(expires),
        rs.getString(9),
        rs.getInt(10) != 0);
  }
}
