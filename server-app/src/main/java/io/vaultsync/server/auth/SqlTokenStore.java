package io.vaultsync.server.auth;

import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** {@link TokenStore} in the server's SQLite database (table {@code tokens}). Thread-safe. */
public final class SqlTokenStore implements TokenStore {
  private final Database db;
  private final Clock clock;

  public SqlTokenStore(Database db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public String create(String deviceName) throws IOException {
    String device = DeviceTokens.checkDevice(deviceName);
    String token = DeviceTokens.newToken();
    db.transaction(
        c -> {
          if (Sql.exists(c, "SELECT 1 FROM tokens WHERE device = ?", device)) {
            throw new IllegalArgumentException(
                "device \"" + device + "\" already has a token; revoke it first");
          }
          return Sql.update(
              c,
              "INSERT INTO tokens (token_hash, device, created_ms) VALUES (?, ?, ?)",
              DeviceTokens.hash(token),
              device,
              clock.millis());
        });
    return token;
  }

  @Override
  public Optional<String> deviceFor(String token) throws IOException {
    if (token == null || token.isEmpty() || token.length() > DeviceTokens.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    byte[] hash = DeviceTokens.hash(token);
    return db.read(
        c ->
            Optional.ofNullable(
                Sql.first(
                    c,
                    "SELECT device FROM tokens WHERE token_hash = ?",
                    rs -> rs.getString(1),
                    hash)));
  }

  @Override
  public List<TokenInfo> list() throws IOException {
    return db.read(
        c ->
            Sql.list(
                c,
                "SELECT device, created_ms FROM tokens ORDER BY device",
                rs -> new TokenInfo(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)))));
  }

  @Override
  public boolean revoke(String deviceName) throws IOException {
    return db.transaction(
        c -> Sql.update(c, "DELETE FROM tokens WHERE device = ?", deviceName) > 0);
  }
}
