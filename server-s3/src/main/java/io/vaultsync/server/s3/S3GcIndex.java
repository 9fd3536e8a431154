package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The queries of content GC and the orphan sweep ({@link S3ContentGc}) on the tables of {@link
 * S3Index}. Each deletion re-checks, in its own transaction, what makes it safe.
 */
final class S3GcIndex {
  private static final int CHUNK = S3Index.CHUNK;

  /** A committed pack and what its live objects take. */
  record PackUse(String key, long bytes, long createdMs, long objects, long liveBytes) {}

  /** One row as content GC sees it. */
  record ObjectGen(ContentHash hash, long length, long touchedGen) {}

  private final Database db;

  S3GcIndex(Database db) {
    this.db = db;
  }

  /** Starts a new GC generation and returns it. */
  long nextGeneration() throws IOException {
    return db.transaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.executeUpdate("UPDATE s3_gc SET generation = generation + 1 WHERE id = 1");
          }
          return S3Index.generation(c);
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
          S3Index.insertPack(c, pack, packBytes, nowMs);
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
