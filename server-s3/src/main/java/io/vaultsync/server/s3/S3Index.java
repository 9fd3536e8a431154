package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store's index in the shared metadata database, the only code that knows its tables (the SQL
 * is written so that SQLite and PostgreSQL both accept it: {@code INSERT ... ON CONFLICT}, {@code
 * BIGINT} lengths, hashes as lower-case hex text; PostgreSQL gets the same tables from its
 * migration, server-postgres's {@code V2__s3_index.sql}):
 *
 * <ul>
 *   <li>{@code s3_packs}: every committed pack (its key, size and when it was committed). A pack
 *       key in the bucket with no row here is an orphan.
 *   <li>{@code s3_objects}: hash to pack, offset and length, and {@code touched_gen}: the GC
 *       generation in which a commit last stored or deduplicated against the object.
 *   <li>{@code s3_pins}: what each batch between its commit and its close relies on.
 *   <li>{@code s3_gc}: one row, the current GC generation.
 * </ul>
 *
 * What commits and reads ask; {@link S3GcIndex} holds what content GC and the orphan sweep ask. See
 * {@link S3ContentGc} for why the pins and generations make content GC safe beside commits in other
 * processes.
 */
final class S3Index {
  /** Rows per statement batch and per transaction in bulk work. */
  static final int CHUNK = 1000;

  /** The tables, in SQL SQLite runs (PostgreSQL: server-postgres's migration V2__s3_index.sql). */
  static final String[] SQLITE_TABLES = {
    "CREATE TABLE IF NOT EXISTS s3_packs ("
        + " pack_key TEXT NOT NULL PRIMARY KEY,"
        + " pack_bytes BIGINT NOT NULL,"
        + " created_ms BIGINT NOT NULL)",
    "CREATE TABLE IF NOT EXISTS s3_objects ("
        + " hash TEXT NOT NULL PRIMARY KEY,"
        + " pack_key TEXT NOT NULL REFERENCES s3_packs (pack_key),"
        + " pack_offset BIGINT NOT NULL,"
        + " stored_length BIGINT NOT NULL,"
        + " content_size BIGINT NOT NULL,"
        + " touched_gen BIGINT NOT NULL)",
    "CREATE INDEX IF NOT EXISTS s3_objects_pack ON s3_objects (pack_key)",
    "CREATE TABLE IF NOT EXISTS s3_pins ("
        + " batch_id TEXT NOT NULL,"
        + " hash TEXT NOT NULL,"
        + " pinned_ms BIGINT NOT NULL,"
        + " PRIMARY KEY (batch_id, hash))",
    "CREATE INDEX IF NOT EXISTS s3_pins_hash ON s3_pins (hash)",
    "CREATE TABLE IF NOT EXISTS s3_gc ("
        + " id INTEGER NOT NULL PRIMARY KEY,"
        + " generation BIGINT NOT NULL)"
  };

  private final Database db;

  S3Index(Database db) {
    this.db = db;
  }

  /** What to call the database in a message. */
  String describe() {
    return db.describe();
  }

  /** Creates the tables (SQLite) and the generation row (both). */
  void create() throws IOException {
    db.createTablesIfMissing(SQLITE_TABLES);
    db.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.executeUpdate(
                "INSERT INTO s3_gc (id, generation) VALUES (1, 0) ON CONFLICT (id) DO NOTHING");
          }
          return null;
        });
  }

  /** Where {@code hash} is stored, or empty. */
  Optional<IndexRow> find(ContentHash hash) throws IOException {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT pack_key, pack_offset, stored_length, content_size FROM s3_objects"
                      + " WHERE hash = ?")) {
            s.setString(1, hash.hex());
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              return Optional.of(
                  IndexRow.checked(
                      hash, rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)));
            }
          }
        });
  }

  /** The content size of {@code hash}, or empty; no check of the rest of the row. */
  Optional<Long> size(ContentHash hash) throws IOException {
    return db.read(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT content_size FROM s3_objects WHERE hash = ?")) {
            s.setString(1, hash.hex());
            try (ResultSet rs = s.executeQuery()) {
              return rs.next() ? Optional.of(rs.getLong(1)) : Optional.<Long>empty();
            }
          }
        });
  }

  static long generation(Connection c) throws SQLException, IOException {
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT generation FROM s3_gc WHERE id = 1")) {
      if (!rs.next()) {
        throw new IOException("table s3_gc has no row 1: the store's tables were not created");
      }
      return rs.getLong(1);
    }
  }

  /**
   * A batch's first step of its commit, in one transaction: pins every hash it staged (under {@code
   * batch}) and marks those already stored as touched in the current generation. Returns those
   * already stored: the batch relies on the stored copy instead of uploading its own.
   */
  Set<ContentHash> pinAndDeduplicate(String batch, Collection<ContentHash> hashes, long nowMs)
      throws IOException {
    List<ContentHash> all = List.copyOf(hashes);
    return db.transaction(
        c -> {
          long gen = generation(c);
          Set<ContentHash> stored = new HashSet<>();
          try (PreparedStatement pin =
                  c.prepareStatement(
                      "INSERT INTO s3_pins (batch_id, hash, pinned_ms) VALUES (?, ?, ?)"
                          + " ON CONFLICT (batch_id, hash) DO NOTHING");
              PreparedStatement touch =
                  c.prepareStatement("UPDATE s3_objects SET touched_gen = ? WHERE hash = ?")) {
            for (int from = 0; from < all.size(); from += CHUNK) {
              List<ContentHash> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
              for (ContentHash h : chunk) {
                pin.setString(1, batch);
                pin.setString(2, h.hex());
                pin.setLong(3, nowMs);
                pin.addBatch();
                touch.setLong(1, gen);
                touch.setString(2, h.hex());
                touch.addBatch();
              }
              pin.executeBatch();
              int[] counts = touch.executeBatch();
              for (int i = 0; i < chunk.size(); i++) {
                if (counts[i] == Statement.SUCCESS_NO_INFO) {
                  stored.addAll(existing(c, chunk)); // a driver that does not count: ask
                  break;
                }
                if (counts[i] > 0) {
                  stored.add(chunk.get(i));
                }
              }
            }
          }
          return stored;
        });
  }

  /** Which of {@code hashes} have a row (read in the caller's transaction). */
  private static Set<ContentHash> existing(Connection c, List<ContentHash> hashes)
      throws SQLException {
    Set<ContentHash> out = new HashSet<>();
    try (PreparedStatement s = c.prepareStatement("SELECT 1 FROM s3_objects WHERE hash = ?")) {
      for (ContentHash h : hashes) {
        s.setString(1, h.hex());
        try (ResultSet rs = s.executeQuery()) {
          if (rs.next()) {
            out.add(h);
          }
        }
      }
    }
    return out;
  }

  /**
   * A batch's last step of its commit, in one transaction: the pack's row, then a row for each of
   * its objects (an object another batch stored meanwhile keeps its row, only touched: both copies
   * are good, the unused one goes with its pack's next rewrite).
   */
  void insert(String pack, long packBytes, long nowMs, List<IndexRow> rows) throws IOException {
    db.transaction(
        c -> {
          long gen = generation(c);
          insertPack(c, pack, packBytes, nowMs);
          insertObjects(c, rows, gen);
          return null;
        });
  }

  static void insertPack(Connection c, String pack, long packBytes, long nowMs)
      throws SQLException {
    try (PreparedStatement p =
        c.prepareStatement(
            "INSERT INTO s3_packs (pack_key, pack_bytes, created_ms) VALUES (?, ?, ?)")) {
      p.setString(1, pack);
      p.setLong(2, packBytes);
      p.setLong(3, nowMs);
      p.executeUpdate();
    }
  }

  private static void insertObjects(Connection c, List<IndexRow> rows, long gen)
      throws SQLException {
    try (PreparedStatement o =
        c.prepareStatement(
            "INSERT INTO s3_objects (hash, pack_key, pack_offset, stored_length, content_size,"
                + " touched_gen) VALUES (?, ?, ?, ?, ?, ?)"
                + " ON CONFLICT (hash) DO UPDATE SET touched_gen = excluded.touched_gen")) {
      int n = 0;
      for (IndexRow r : rows) {
        o.setString(1, r.hash().hex());
        o.setString(2, r.pack());
        o.setLong(3, r.offset());
        o.setLong(4, r.length());
        o.setLong(5, r.length());
        o.setLong(6, gen);
        o.addBatch();
        if (++n % CHUNK == 0) {
          o.executeBatch();
        }
      }
      o.executeBatch();
    }
  }

  /** Drops the pins of {@code batch} (it is closed). */
  void unpin(String batch) throws IOException {
    db.transaction(
        c -> {
          try (PreparedStatement s = c.prepareStatement("DELETE FROM s3_pins WHERE batch_id = ?")) {
            s.setString(1, batch);
            s.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Forgets the copy at {@code row} (it is damaged or its pack is gone), unless the row moved
   * meanwhile; then the object reads as missing until someone stores it again.
   */
  boolean drop(IndexRow row) throws IOException {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM s3_objects WHERE hash = ? AND pack_key = ? AND pack_offset = ?")) {
            s.setString(1, row.hash().hex());
            s.setString(2, row.pack());
            s.setLong(3, row.offset());
            return s.executeUpdate() > 0;
          }
        });
  }
}
