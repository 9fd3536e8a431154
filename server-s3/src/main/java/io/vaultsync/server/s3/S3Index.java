package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The store's index in the shared metadata database, the only code that knows its tables (the SQL
 * is written so that SQLite and PostgreSQL both accept it: {@code INSERT ... ON CONFLICT}, {@code
 * BIGINT} lengths, hashes as lower-case hex text; PostgreSQL gets the same tables from its
 * migration, {@code postgresql-tables.sql} beside this class):
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
 * See {@link S3ContentGc} for why the pins and generations make content GC safe beside commits in
 * other processes.
 */
final class S3Index {
  /** Rows per statement batch and per transaction in bulk work. */
  static final int CHUNK = 1000;

  /** The tables, in SQL SQLite runs (PostgreSQL: postgresql-tables.sql). */
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

  /** A committed pack and what its live objects take. */
  record PackUse(String key, long bytes, long createdMs, long objects, long liveBytes) {}

  /** One row as content GC sees it. */
  record ObjectGen(ContentHash hash, long length, long touchedGen) {}

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

  private static long generation(Connection c) throws SQLException, IOException {
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
                if (counts[i] > 0 || counts[i] == Statement.SUCCESS_NO_INFO) {
                  stored.add(chunk.get(i));
                }
              }
            }
          }
          return stored;
        });
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

  private static void insertPack(Connection c, String pack, long packBytes, long nowMs)
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

  // ---- content GC (S3ContentGc) ----

  /** Starts a new GC generation and returns it. */
  long nextGeneration() throws IOException {
    return db.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE s3_gc SET generation = generation + 1 WHERE id = 1");
          }
          return generation(c);
        });
  }

  /** Drops pins made before {@code beforeMs} (of batches whose process died); returns how many. */
  int dropPinsBefore(long beforeMs) throws IOException {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("DELETE FROM s3_pins WHERE pinned_ms < ?")) {
            s.setLong(1, beforeMs);
            return s.executeUpdate();
          }
        });
  }

  /** Every pinned hash now. */
  Set<ContentHash> pinned() throws IOException {
    return db.read(
        c -> {
          Set<ContentHash> out = new HashSet<>();
          try (Statement s = c.createStatement();
              ResultSet rs = s.executeQuery("SELECT DISTINCT hash FROM s3_pins")) {
            while (rs.next()) {
              out.add(ContentHash.parse(rs.getString(1)));
            }
          }
          return out;
        });
  }

  /** Every object row: hash, length and generation. */
  List<ObjectGen> objects() throws IOException {
    return db.read(
        c -> {
          List<ObjectGen> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery("SELECT hash, stored_length, touched_gen FROM s3_objects")) {
            while (rs.next()) {
              out.add(
                  new ObjectGen(ContentHash.parse(rs.getString(1)), rs.getLong(2), rs.getLong(3)));
            }
          }
          return out;
        });
  }

  /**
   * Deletes the rows of {@code hashes} that no commit touched in generation {@code gen} or later;
   * returns the hashes deleted.
   */
  Set<ContentHash> deleteUntouched(List<ContentHash> hashes, long gen) throws IOException {
    Set<ContentHash> deleted = new HashSet<>();
    for (int from = 0; from < hashes.size(); from += CHUNK) {
      List<ContentHash> chunk = hashes.subList(from, Math.min(hashes.size(), from + CHUNK));
      deleted.addAll(
          db.transaction(
              c -> {
                Set<ContentHash> gone = new HashSet<>();
                try (PreparedStatement s =
                    c.prepareStatement(
                        "DELETE FROM s3_objects WHERE hash = ? AND touched_gen < ?")) {
                  for (ContentHash h : chunk) {
                    s.setString(1, h.hex());
                    s.setLong(2, gen);
                    s.addBatch();
                  }
                  int[] counts = s.executeBatch();
                  for (int i = 0; i < chunk.size(); i++) {
                    if (counts[i] > 0) {
                      gone.add(chunk.get(i));
                    }
                  }
                }
                return gone;
              }));
    }
    return deleted;
  }

  /** Every committed pack with the count and bytes of the objects it serves. */
  List<PackUse> packUse() throws IOException {
    return db.read(
        c -> {
          List<PackUse> out = new ArrayList<>();
          try (Statement s = c.createStatement();
              ResultSet rs =
                  s.executeQuery(
                      "SELECT p.pack_key, p.pack_bytes, p.created_ms, COUNT(o.hash),"
                          + " COALESCE(SUM(o.stored_length), 0)"
                          + " FROM s3_packs p LEFT JOIN s3_objects o ON o.pack_key = p.pack_key"
                          + " GROUP BY p.pack_key, p.pack_bytes, p.created_ms"
                          + " ORDER BY p.pack_key")) {
            while (rs.next()) {
              out.add(
                  new PackUse(
                      rs.getString(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)));
            }
          }
          return out;
        });
  }

  /** The rows naming {@code pack}, by offset. */
  List<IndexRow> rowsOf(String pack) throws IOException {
    return db.read(
        c -> {
          List<IndexRow> out = new ArrayList<>();
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT hash, pack_offset, stored_length, content_size FROM s3_objects"
                      + " WHERE pack_key = ? ORDER BY pack_offset")) {
            s.setString(1, pack);
            try (ResultSet rs = s.executeQuery()) {
              while (rs.next()) {
                out.add(
                    IndexRow.checked(
                        ContentHash.parse(rs.getString(1)),
                        pack,
                        rs.getLong(2),
                        rs.getLong(3),
                        rs.getLong(4)));
              }
            }
          }
          return out;
        });
  }

  /**
   * Forgets {@code pack} if no object row names it; returns whether it did. No row can come to name
   * it later (a commit names only its own new pack), so its key may then be deleted.
   */
  boolean forgetIfEmpty(String pack) throws IOException {
    return db.transaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "DELETE FROM s3_packs WHERE pack_key = ? AND NOT EXISTS"
                      + " (SELECT 1 FROM s3_objects o WHERE o.pack_key = ?)")) {
            s.setString(1, pack);
            s.setString(2, pack);
            return s.executeUpdate() > 0;
          }
        });
  }

  /**
   * Points the objects of {@code old} that {@code rows} (in the new pack) hold at the new pack, in
   * one transaction with the new pack's row. Returns how many moved.
   */
  int move(String old, String pack, long packBytes, long nowMs, List<IndexRow> rows)
      throws IOException {
    return db.transaction(
        c -> {
          insertPack(c, pack, packBytes, nowMs);
          int moved = 0;
          try (PreparedStatement u =
              c.prepareStatement(
                  "UPDATE s3_objects SET pack_key = ?, pack_offset = ?"
                      + " WHERE hash = ? AND pack_key = ?")) {
            for (IndexRow r : rows) {
              u.setString(1, pack);
              u.setLong(2, r.offset());
              u.setString(3, r.hash().hex());
              u.setString(4, old);
              moved += u.executeUpdate();
            }
          }
          return moved;
        });
  }

  /** Which of {@code keys} are committed packs. */
  Set<String> committed(Collection<String> keys) throws IOException {
    List<String> all = List.copyOf(keys);
    return db.read(
        c -> {
          Set<String> out = new HashSet<>();
          try (PreparedStatement s =
              c.prepareStatement("SELECT 1 FROM s3_packs WHERE pack_key = ?")) {
            for (String k : all) {
              s.setString(1, k);
              try (ResultSet rs = s.executeQuery()) {
                if (rs.next()) {
                  out.add(k);
                }
              }
            }
          }
          return out;
        });
  }
}
