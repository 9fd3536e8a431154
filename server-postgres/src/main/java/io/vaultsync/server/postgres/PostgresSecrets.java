package io.vaultsync.server.postgres;

import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.security.SecureRandom;

/**
 * Secrets every process reads the same, in table {@code secrets}: the first process that asks for
 * one draws {@value #BYTES} random bytes and inserts them ({@code ON CONFLICT DO NOTHING}, so two
 * first askers agree on one), every process reads that row.
 */
final class PostgresSecrets {
  static final int BYTES = 32;

  private static final SecureRandom RANDOM = new SecureRandom();

  private PostgresSecrets() {}

  static byte[] secret(Database db, String name) throws IOException {
    if (name == null || name.isEmpty() || name.length() > 200) {
      throw new IllegalArgumentException(
          "secret name \"" + name + "\"; expected 1 to 200 characters");
    }
    byte[] fresh = new byte[BYTES];
    RANDOM.nextBytes(fresh);
    byte[] value =
        db.transaction(
            c -> {
              Sql.update(
                  c,
                  "INSERT INTO secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING",
                  name,
                  fresh);
              return Sql.first(
                  c, "SELECT value FROM secrets WHERE name = ?", rs -> rs.getBytes(1), name);
            });
    if (value == null || value.length != BYTES) {
      throw new IOException(
          "database "
              + db.describe()
              + ": secret "
              + name
              + " has "
              + (value == null ? "no row" : value.length + " bytes")
              + "; expected "
              + BYTES
              + " (delete the row to draw a new one)");
    }
    return value;
  }
}
