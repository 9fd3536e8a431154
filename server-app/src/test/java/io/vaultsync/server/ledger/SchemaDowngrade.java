package io.vaultsync.server.ledger;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * Turns a database the current server wrote back into what an older server left, one schema version
 * at a time (the undo of each step of {@link SqliteDatabase}'s migration), so that a test can open
 * it and check the migration.
 */
final class SchemaDowngrade {
  /** What each schema version added, undone. */
  private static final Map<Integer, List<String>> UNDO =
      Map.of(
          5, List.of("ALTER TABLE changes DROP COLUMN confirmed"),
          4, List.of("DROP TABLE mirror_pending"),
          3, List.of("DROP TABLE versions", "ALTER TABLE vaults DROP COLUMN history_floor"),
          2,
              List.of(
                  "DROP TABLE snapshot_entries",
                  "DROP TABLE snapshots",
                  "ALTER TABLE vaults DROP COLUMN horizon_seq",
                  "ALTER TABLE vaults DROP COLUMN last_change_ms"));

  private SchemaDowngrade() {}

  /** Downgrades the database at {@code file} (not open elsewhere) to schema {@code version}. */
  static void to(Path file, int version) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
        Statement s = c.createStatement()) {
      int current;
      try (ResultSet rs = s.executeQuery("SELECT max(version) FROM schema_version")) {
        current = rs.next() ? rs.getInt(1) : 0;
      }
      for (int v = current; v > version; v--) {
        List<String> undo = UNDO.get(v);
        if (undo == null) {
          throw new IllegalStateException(
              "no downgrade from schema version " + v + ": add its undo to SchemaDowngrade.UNDO");
        }
        for (String sql : undo) {
          s.execute(sql);
        }
        s.execute("DELETE FROM schema_version WHERE version = " + v);
      }
    }
  }
}
