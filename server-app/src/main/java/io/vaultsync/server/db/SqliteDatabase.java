package io.vaultsync.server.db;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The server's SQLite database ({@code DIR/vaultsync.db}): one connection in WAL mode with {@code
 * synchronous=FULL}, so a committed transaction is on disk (acknowledged = durable). The schema is
 * created on first open and versioned in {@code schema_version}; a database from a newer server is
 * refused.
 *
 * <p>Every use goes through {@link #read} or {@link #transaction}, which hold this object's lock:
 * one writer at a time, as SQLite allows anyway. Shared by {@link
 * io.vaultsync.server.ledger.SqlLedgerStore} and the other store.
 */
public final class SqliteDatabase implements Database {
  /** The schema version this code writes. */
  public static final int SCHEMA_VERSION = 5;

  private final Path file;
  private final Connection connection;

  private SqliteDatabase(Path file, Connection connection) {
    this.file = file;
    this.connection = connection;
  }

  /** Opens or creates the database file. */
  public static SqliteDatabase open(Path file) throws IOException {
    Connection c;
    try {
      c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
    } catch (SQLException e) {
      throw new IOException("cannot open database " + file + ": " + e.getMessage(), e);
    }
    SqliteDatabase db = new SqliteDatabase(file, c);
    try {
      db.init();
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  private void init() throws IOException {
    try (Statement s = connection.createStatement()) {
      try (ResultSet rs = s.executeQuery("PRAGMA journal_mode=WAL")) {
        rs.next();
        if (!"wal".equalsIgnoreCase(rs.getString(1))) {
          throw new IOException("database " + file + " refused WAL mode: " + rs.getString(1));
        }
      }
      s.execute("PRAGMA synchronous=FULL");
      s.execute("PRAGMA foreign_keys=ON");
      s.execute("PRAGMA busy_timeout=10000");
    } catch (SQLException e) {
      throw new IOException("cannot configure database " + file + ": " + e.getMessage(), e);
    }
    transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
            int version = 0;
            try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
              if (rs.next()) {
                version = rs.getInt(1);
              }
            }
            if (version > SCHEMA_VERSION) {
              throw new IOException(
                  "database "
                      + file
                      + " has schema version "
                      + version
                      + "; this server knows up to "
                      + SCHEMA_VERSION);
            }
            if (version < 1) {
              createV1(s);
              s.execute("INSERT INTO schema_version (version) VALUES (1)");
            }
            if (version < 2) {
              createV2(s);
              s.execute("INSERT INTO schema_version (version) VALUES (2)");
            }
            if (version < 3) {
              createV3(s);
              io.vaultsync.server.ledger.VersionBackfill.run(c);
              s.execute("INSERT INTO schema_version (version) VALUES (3)");
            }
            if (version < 4) {
              createV4(s);
              s.execute("INSERT INTO schema_version (version) VALUES (4)");
            }
            if (version < 5) {
              createV5(s);
              s.execute("INSERT INTO schema_version (version) VALUES (5)");
            }
          }
          return null;
        });
  }

  private static void createV1(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE vaults ("
            + " id INTEGER PRIMARY KEY,"
            + " name TEXT NOT NULL UNIQUE,"
            + " created_ms INTEGER NOT NULL,"
            + " head_seq INTEGER NOT NULL DEFAULT 0,"
            + " mirrored_seq INTEGER NOT NULL DEFAULT 0)");
    s.execute(
        "CREATE TABLE changes ("
            + " vault_id INTEGER NOT NULL REFERENCES vaults(id),"
            + " seq INTEGER NOT NULL,"
            + " op TEXT NOT NULL CHECK (op IN ('PUT','DELETE','MOVE')),"
            + " path TEXT NOT NULL,"
            + " previous_path TEXT,"
            + " hash BLOB NOT NULL,"
            + " size INTEGER NOT NULL,"
            + " device TEXT NOT NULL,"
            + " time_ms INTEGER NOT NULL,"
            + " PRIMARY KEY (vault_id, seq)) WITHOUT ROWID");
    s.execute(
        "CREATE TABLE head ("
            + " vault_id INTEGER NOT NULL REFERENCES vaults(id),"
            + " path TEXT NOT NULL,"
            + " hash BLOB NOT NULL,"
            + " size INTEGER NOT NULL,"
            + " seq INTEGER NOT NULL,"
            + " PRIMARY KEY (vault_id, path)) WITHOUT ROWID");
    s.execute(
        "CREATE TABLE tokens ("
            + " token_hash BLOB PRIMARY KEY,"
            + " device TEXT NOT NULL UNIQUE,"
            + " created_ms INTEGER NOT NULL)");
  }

  /**
   * Version 2 (issue 4): snapshots and ledger compaction. {@code vaults.horizon_seq}: the ledger
   * was compacted up to it (rows at or below are gone); {@code vaults.last_change_ms}: the time of
   * the newest change, which compaction may delete; {@code snapshots} and their entries, a copy of
   * {@code head} at a seq (rows rather than an object in the content store: one transaction takes a
   * snapshot or compacts against the kept ones, retention is a DELETE, and the pack store has no
   * deletion).
   */
  private static void createV2(Statement s) throws SQLException {
    s.execute("ALTER TABLE vaults ADD COLUMN horizon_seq INTEGER NOT NULL DEFAULT 0");
    s.execute("ALTER TABLE vaults ADD COLUMN last_change_ms INTEGER");
    s.execute(
        "UPDATE vaults SET last_change_ms = (SELECT time_ms FROM changes x"
            + " WHERE x.vault_id = vaults.id AND x.seq = vaults.head_seq)");
    s.execute(
        "CREATE TABLE snapshots ("
            + " vault_id INTEGER NOT NULL REFERENCES vaults(id),"
            + " seq INTEGER NOT NULL,"
            + " files INTEGER NOT NULL,"
            + " bytes INTEGER NOT NULL,"
            + " root BLOB NOT NULL,"
            + " time_ms INTEGER NOT NULL,"
            + " PRIMARY KEY (vault_id, seq)) WITHOUT ROWID");
    s.execute(
        "CREATE TABLE snapshot_entries ("
            + " vault_id INTEGER NOT NULL,"
            + " snapshot_seq INTEGER NOT NULL,"
            + " path TEXT NOT NULL,"
            + " hash BLOB NOT NULL,"
            + " size INTEGER NOT NULL,"
            + " seq INTEGER NOT NULL,"
            + " PRIMARY KEY (vault_id, snapshot_seq, path),"
            + " FOREIGN KEY (vault_id, snapshot_seq) REFERENCES snapshots(vault_id, seq)"
            + " ON DELETE CASCADE) WITHOUT ROWID");
  }

  /**
   * Version 3 (issue 5): the version history, {@code versions}, one row per ledger change, written
   * in the ledger's transaction but never compacted with it (retention thins it instead), with the
   * file id each change belongs to and the seq that ended the version ({@code ended_seq}: the next
   * change at its path, a move away or a delete; null while current). {@code vaults.history_floor}:
   * the state of the vault below this seq is no longer known (thinned or compacted before the table
   * existed). Existing ledger rows are copied by {@link VersionBackfill}.
   */
  private static void createV3(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE versions ("
            + " vault_id INTEGER NOT NULL REFERENCES vaults(id),"
            + " seq INTEGER NOT NULL,"
            + " time_ms INTEGER NOT NULL,"
            + " device TEXT NOT NULL,"
            + " op TEXT NOT NULL CHECK (op IN ('PUT','DELETE','MOVE')),"
            + " path TEXT NOT NULL,"
            + " previous_path TEXT,"
            + " hash BLOB NOT NULL,"
            + " size INTEGER NOT NULL,"
            + " file_id INTEGER NOT NULL,"
            + " ended_seq INTEGER,"
            + " PRIMARY KEY (vault_id, seq)) WITHOUT ROWID");
    s.execute("CREATE INDEX versions_by_path ON versions (vault_id, path, seq)");
    s.execute(
        "CREATE INDEX versions_by_previous_path ON versions (vault_id, previous_path, seq)"
            + " WHERE previous_path IS NOT NULL");
    s.execute("CREATE INDEX versions_by_time ON versions (vault_id, time_ms)");
    s.execute("ALTER TABLE vaults ADD COLUMN history_floor INTEGER NOT NULL DEFAULT 0");
  }

  /**
   * Checks the database file's structure with its own connection: {@code PRAGMA quick_check}
   * (b-tree pages and cells, O(size)) or, with {@code full}, {@code PRAGMA integrity_check} (also
   * that every index matches its table). Returns what SQLite reports, at most {@code max} lines;
   * empty if the file is sound. A file SQLite cannot read at all ("database disk image is
   * malformed", "file is not a database") is reported as one line.
   */
  public static List<String> check(Path file, boolean full, int max) throws IOException {
    List<String> problems = new ArrayList<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "PRAGMA " + (full ? "integrity_check" : "quick_check") + "(" + max + ")")) {
      while (rs.next()) {
        String line = rs.getString(1);
        if (!"ok".equals(line)) {
          for (String part : line.split("\n")) {
            if (!part.isBlank() && !part.startsWith("*** in database")) {
              problems.add(part.strip());
            }
          }
        }
      }
    } catch (SQLException e) {
      if (!isCorruption(e)) {
        throw new IOException("cannot check database " + file + ": " + e.getMessage(), e);
      }
      problems.add(e.getMessage());
    }
    return problems;
  }

  /** Whether {@code e} says the file is damaged (SQLITE_CORRUPT, SQLITE_NOTADB). */
  public static boolean isCorruption(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage());
      if (m.contains("SQLITE_CORRUPT")
          || m.contains("SQLITE_NOTADB")
          || m.contains("malformed")
          || m.contains("not a database")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Version 4 (issue 12): {@code mirror_pending}, the paths a vault's master folder still owes: a
   * write into it failed (a full disk) or was blocked (a link in the way), so the folder does not
   * hold the path as head has it. Written in the same transaction as {@code vaults.mirrored_seq},
   * so every change at or below that seq is either in the folder or listed here; retried until
   * written, and left out of the reconciler's comparison meanwhile (never read as an edit). {@code
   * reason}: the last failure; {@code since_ms}: the first.
   */
  private static void createV4(Statement s) throws SQLException {
    s.execute(
        "CREATE TABLE mirror_pending ("
            + " vault_id INTEGER NOT NULL REFERENCES vaults(id),"
            + " path TEXT NOT NULL,"
            + " reason TEXT NOT NULL,"
            + " since_ms INTEGER NOT NULL,"
            + " PRIMARY KEY (vault_id, path)) WITHOUT ROWID");
  }

  /**
   * Version 5 (issue 12): {@code changes.confirmed}, 1 for a delete committed with mass deletes
   * allowed (a person confirmed it with {@code --allow-mass-delete}), so other devices' guards do
   * not hold it back again. Rows from before are unconfirmed, as they were.
   */
  private static void createV5(Statement s) throws SQLException {
    s.execute("ALTER TABLE changes ADD COLUMN confirmed INTEGER NOT NULL DEFAULT 0");
  }

  /** Runs read-only work. */
  @Override
  public synchronized <T> T read(SqlWork<T> work) throws IOException {
    try {
      return work.run(connection);
    } catch (SQLException e) {
      throw new IOException("database " + file + ": " + e.getMessage(), e);
    }
  }

  /** Runs work in one transaction: all of it commits (durably) or none of it. */
  @Override
  public synchronized <T> T transaction(SqlWork<T> work) throws IOException {
    try {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | IOException | RuntimeException | Error e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new IOException("database " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Runs statements without parameters ({@code CREATE TABLE IF NOT EXISTS}, {@code CREATE INDEX})
   * in one transaction: for stores that create their optional tables when they open.
   */
  @Override
  public void createTablesIfMissing(String... statements) throws IOException {
    transaction(
        c -> {
          for (String sql : statements) {
            Sql.execute(c, sql);
          }
          return null;
        });
  }

  /** The database file. */
  public Path file() {
    return file;
  }

  @Override
  public String describe() {
    return file.toString();
  }

  @Override
  public synchronized void close() throws IOException {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IOException("closing database " + file + ": " + e.getMessage(), e);
    }
  }
}
