package io.vaultsync.server.postgres;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.auth.DeviceTokens;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.http.Sessions;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@link Sessions} in table {@code sessions}, seen by every server process: the same rules as the
 * in-memory ones (a session lasts {@link #LIFETIME}; at most {@link #MAX_SESSIONS}, the oldest go
 * first; rows keyed by the SHA-256 of the id, so the table holds no usable id). Expired rows are
 * deleted whenever a session is created. Times come from {@code clock}. A database failure is an
 * {@link java.io.UncheckedIOException} (the interface declares none). Thread-safe.
 */
final class PostgresSessions implements Sessions {
  private static final String COLUMNS = "id_hash, device, token_created_ms, created_ms, expires_ms";

  private final Database db;
  private final Clock clock;
  private final int maxSessions;

  PostgresSessions(Database db, Clock clock) {
    this(db, clock, MAX_SESSIONS);
  }

  /** Keeps at most {@code maxSessions} (tests use a small number). */
  PostgresSessions(Database db, Clock clock, int maxSessions) {
    if (maxSessions < 1) {
      throw new IllegalArgumentException("at most " + maxSessions + " sessions; expected >= 1");
    }
    this.db = Objects.requireNonNull(db, "db");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.maxSessions = maxSessions;
  }

  @Override
  public String create(String device, Instant tokenCreated) {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(tokenCreated, "tokenCreated");
    String id = DeviceTokens.newToken();
    Instant now = clock.instant();
    long nowMs = now.toEpochMilli();
    Unchecked.io(
        () ->
            db.transaction(
                c -> {
                  Sql.update(c, "DELETE FROM sessions WHERE expires_ms <= ?", nowMs);
                  long count = Sql.number(c, "SELECT count(*) FROM sessions");
                  if (count >= maxSessions) {
                    Sql.update(
                        c,
                        "DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions"
                            + " ORDER BY created_ms, id_hash LIMIT ?)",
                        count - maxSessions + 1);
                  }
                  return Sql.update(
                      c,
                      "INSERT INTO sessions (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?)",
                      key(id),
                      device,
                      tokenCreated.toEpochMilli(),
                      nowMs,
                      now.plus(LIFETIME).toEpochMilli());
                }));
    return id;
  }

  @Override
  public Optional<Session> find(String id) {
    if (id == null || id.isEmpty() || id.length() > DeviceTokens.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    long nowMs = clock.millis();
    return Unchecked.io(
        () ->
            db.read(
                c ->
                    Optional.ofNullable(
                        Sql.first(
                            c,
                            "SELECT "
                                + COLUMNS
                                + " FROM sessions WHERE id_hash = ? AND expires_ms > ?",
                            PostgresSessions::session,
                            key(id),
                            nowMs))));
  }

  @Override
  public int endIf(Predicate<Session> ended) {
    return Unchecked.io(
        () -> {
          List<String> rows = new ArrayList<>();
          db.read(
              c -> {
                Sql.forEach(
                    c,
                    "SELECT " + COLUMNS + " FROM sessions",
                    rs -> {
                      if (ended.test(session(rs))) {
                        rows.add(rs.getString(1));
                      }
                    });
                return null;
              });
          if (rows.isEmpty()) {
            return 0;
          }
          return db.transaction(
              c -> {
                int n = 0;
                for (String hash : rows) {
                  n += Sql.update(c, "DELETE FROM sessions WHERE id_hash = ?", hash);
                }
                return n;
              });
        });
  }

  @Override
  public void end(String id) {
    if (id != null && !id.isEmpty() && id.length() <= DeviceTokens.MAX_TOKEN_CHARS) {
      Unchecked.io(
          () ->
              db.transaction(
                  c -> Sql.update(c, "DELETE FROM sessions WHERE id_hash = ?", key(id))));
    }
  }

  private static Session session(ResultSet rs) throws SQLException {
    return new Session(
        rs.getString(2),
        Instant.ofEpochMilli(rs.getLong(3)),
        Instant.ofEpochMilli(rs.getLong(4)),
        Instant.ofEpochMilli(rs.getLong(5)));
  }

  private static String key(String id) {
    return ContentHash.digestOf(id.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
