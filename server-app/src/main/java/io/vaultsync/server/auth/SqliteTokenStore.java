package io.vaultsync.server.auth;

import io.vaultsync.server.ledger.SqliteDatabase;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link TokenStore} in the server's SQLite database (table {@code tokens}). Thread-safe. */
public final class SqliteTokenStore implements TokenStore {
  private final SqliteDatabase db;
  private final Clock clock;

  public SqliteTokenStore(SqliteDatabase db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public String create(String deviceName) throws IOException {
    String device = DeviceTokens.checkDevice(deviceName);
    String token = DeviceTokens.newToken();
    db.transaction(
        c -> {
          try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM tokens WHERE device = ?")) {
            q.setString(1, device);
            try (ResultSet rs = q.executeQuery()) {
              if (rs.next()) {
                throw new IllegalArgumentException(
                    "device \"" + device + "\" already has a token; revoke it first");
              }
            }
          }
          try (PreparedStatement ps =
              c.prepareStatement(
                  "INSERT INTO tokens (token_hash, device, created_ms) VALUES (?, ?, ?)")) {
            ps.setBytes(1, DeviceTokens.hash(token));
            ps.setString(2, device);
            ps.setLong(3, clock.millis());
            ps.executeUpdate();
          }
          return null;
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
        c -> {
          try (PreparedStatement ps =
              c.prepareStatement("SELECT device FROM tokens WHERE token_hash = ?")) {
            ps.setBytes(1, hash);
            try (ResultSet rs = ps.executeQuery()) {
              return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
          }
        });
  }

  @Override
  public List<TokenInfo> list() throws IOException {
    return db.read(
        c -> {
          List<TokenInfo> out = new ArrayList<>();
          try (PreparedStatement ps =
                  c.prepareStatement("SELECT device, created_ms FROM tokens ORDER BY device");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              out.add(new TokenInfo(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))));
            }
          }
          return out;
        });
  }

  @Override
  public boolean revoke(String deviceName) throws IOException {
    return db.transaction(
        c -> {
          try (PreparedStatement ps = c.prepareStatement("DELETE FROM tokens WHERE device = ?")) {
            ps.setString(1, deviceName);
            return ps.executeUpdate() > 0;
          }
        });
  }
}
