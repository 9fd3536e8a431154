package io.vaultsync.server.integrity;

import io.vaultsync.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Rebuilds a damaged database file ({@code vaultsync server check --repair}), the server stopped: a
 * new file gets the old schema, every table's rows that can still be read, and fresh indexes, then
 * replaces the old one, which is moved to {@code DIR/damaged/} (never deleted).
 *
 * <p>Why a rebuild rather than {@code REINDEX} or {@code VACUUM}: with a damaged page both fail
 * ("database disk image is malformed") even when the damage is in an index, which is the usual case
 * (indexes are most of a vault database's pages) and loses nothing, since indexes are rebuilt from
 * the tables. A table is read in its key order until the damage stops the scan, then from the other
 * end back to it, so a damaged table page costs only the rows on it. The {@code head} table can be
 * derived from the version history ({@code versions} rows that nothing ended), so a damaged head is
 * rebuilt whole from it; rows lost elsewhere are reported.
 */
final class DatabaseRepair {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** What a rebuild did, and what it could not get back. */
  record Result(List<String> done, List<String> lost) {}

  private DatabaseRepair() {}

  /** Rebuilds {@code file}; the old file goes to {@code dataDir/damaged/}. */
  static Result rebuild(Path dataDir, Path file, Clock clock) throws IOException {
    List<String> done = new ArrayList<>();
    List<String> lost = new ArrayList<>();
    Path rebuilt = file.resolveSibling(AtomicFiles.TEMP_PREFIX + "rebuilt-" + file.getFileName());
    Files.deleteIfExists(rebuilt);
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + rebuilt.toAbsolutePath());
        Statement s = c.createStatement()) {
      s.execute(
          "ATTACH DATABASE '" + file.toAbsolutePath().toString().replace("'", "''") + "' AS old");
      List<String[]> schema = new ArrayList<>();
      try (ResultSet rs =
          s.executeQuery(
              "SELECT type, name, sql FROM old.sqlite_master WHERE sql IS NOT NULL"
                  + " AND name NOT LIKE 'sqlite_%' ORDER BY rowid")) {
        while (rs.next()) {
          schema.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        }
      } catch (SQLException e) {
        throw new IOException(
            "cannot read the schema of "
                + file
                + " ("
                + e.getMessage()
                + "): restore it from a backup, or recover it with sqlite3's .recover",
            e);
      }
      c.setAutoCommit(false);
      List<String> incomplete = new ArrayList<>();
      long rows = 0;
      for (String[] t : schema) {
        if (t[0].equals("table")) {
          s.execute(t[2]);
        }
      }
      for (String[] t : schema) {
        if (t[0].equals("table")) {
          long[] copied =
              copy(c, t[1], t[2].toUpperCase(java.util.Locale.ROOT).contains("WITHOUT ROWID"));
          rows += copied[0];
          if (copied[1] != 0) {
            incomplete.add(t[1]);
          }
        }
      }
      c.commit();
      c.setAutoCommit(true);
      s.execute("DETACH DATABASE old");
      c.setAutoCommit(false);
      for (String[] t : schema) {
        if (t[0].equals("index")) {
          s.execute(t[2]);
        }
      }
      if (incomplete.contains("head") && !incomplete.contains("versions")) {
        s.execute("DELETE FROM head");
        s.execute(
            "INSERT INTO head (vault_id, path, hash, size, seq) SELECT vault_id, path, hash, size,"
                + " seq FROM versions WHERE ended_seq IS NULL AND op <> 'DELETE'");
        incomplete.remove("head");
        done.add(
            "rebuilt table head of " + file + " from the version history (its pages were damaged)");
      }
      c.commit();
      c.setAutoCommit(true);
      for (String t : incomplete) {
        lost.add(
            "table "
                + t
                + " of "
                + file
                + " lost the rows on its damaged pages; the rest were copied");
      }
      try (ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
        rs.next();
        if (!"ok".equals(rs.getString(1))) {
          throw new IOException("the rebuilt database is not sound: " + rs.getString(1));
        }
      }
      done.add(
          "rebuilt "
              + file
              + ": "
              + rows
              + " rows of "
              + schema.stream().filter(t -> t[0].equals("table")).count()
              + " tables copied, indexes made anew");
    } catch (SQLException e) {
      Files.deleteIfExists(rebuilt);
      throw new IOException("cannot rebuild " + file + ": " + e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(rebuilt);
      throw e;
    }
    Path aside = Files.createDirectories(dataDir.resolve("damaged"));
    String stamp = STAMP.format(clock.instant());
    for (String suffix : new String[] {"", "-wal", "-shm"}) {
      Path f = file.resolveSibling(file.getFileName() + suffix);
      if (Files.exists(f)) {
        Path to = aside.resolve(f.getFileName() + "." + stamp);
        Files.move(f, to, StandardCopyOption.REPLACE_EXISTING);
        if (suffix.isEmpty()) {
          done.add("moved the damaged " + file + " to " + to);
        }
      }
    }
    Files.move(rebuilt, file, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(file.getParent());
    return new Result(done, lost);
  }

  /**
   * Copies the rows of table {@code name} from {@code old} into the new database: in key order
   * until a damaged page stops the scan, then from the other end back to it. Returns {rows copied,
   * 1 if the table could not be read whole}.
   */
  private static long[] copy(Connection c, String name, boolean withoutRowid) throws SQLException {
    String q = "\"" + name.replace("\"", "\"\"") + "\"";
    int columns;
    List<String> key = new ArrayList<>();
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA old.table_info(" + q + ")")) {
      List<int[]> pk = new ArrayList<>();
      List<String> names = new ArrayList<>();
      while (rs.next()) {
        names.add(rs.getString("name"));
        if (rs.getInt("pk") > 0) {
          pk.add(new int[] {rs.getInt("pk"), names.size() - 1});
        }
      }
      columns = names.size();
      pk.sort((a, b) -> Integer.compare(a[0], b[0]));
      for (int[] p : pk) {
        key.add("\"" + names.get(p[1]).replace("\"", "\"\"") + "\"");
      }
    }
    String keyOrder = withoutRowid ? String.join(", ", key) : "rowid";
    String marks = "?" + ", ?".repeat(Math.max(0, columns - 1));
    long rows = 0;
    boolean whole = true;
    try (PreparedStatement insert =
        c.prepareStatement("INSERT OR IGNORE INTO main." + q + " VALUES (" + marks + ")")) {
      for (String direction : new String[] {"ASC", "DESC"}) {
        String desc = withoutRowid ? keyOrder.replace(",", " " + direction + ",") : keyOrder;
        try (Statement s = c.createStatement();
            ResultSet rs =
                s.executeQuery("SELECT * FROM old." + q + " ORDER BY " + desc + " " + direction)) {
          while (rs.next()) {
            for (int i = 1; i <= columns; i++) {
              insert.setObject(i, rs.getObject(i));
            }
            rows += insert.executeUpdate();
          }
          if (direction.equals("ASC")) {
            break; // read whole
          }
        } catch (SQLException e) {
          whole = false;
          // read from the other end back to the damage
        }
      }
    }
    return new long[] {rows, whole ? 0 : 1};
  }
}
