package io.vaultsync.server.postgres;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.http.AttemptLimiter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An {@link AttemptLimiter} counting in table {@code attempts}, so a key's attempts add up across
 * every server process: the same rules as the in-memory one (a sliding window of {@code window}; at
 * most {@code max} attempts in it; the answer is 0 or the seconds until the oldest attempt leaves
 * the window). One row per attempt; a key's rows older than the window are deleted when the key is
 * counted, and every other key's at most once per window. A key longer than {@value #MAX_KEY_CHARS}
 * characters is stored as its SHA-256. Counting runs in a serializable transaction, so two
 * processes never both let the last allowed attempt through. Times come from {@code clock}; a
 * database failure is an {@link java.io.UncheckedIOException}. Thread-safe.
 */
final class PostgresAttemptLimiter implements AttemptLimiter {
  static final int MAX_KEY_CHARS = 200;

  private final Database db;
  private final String name;
  private final int max;
  private final long windowMs;
  private final Clock clock;
  private final AtomicLong lastSweepMs = new AtomicLong(Long.MIN_VALUE);

  PostgresAttemptLimiter(Database db, String name, int max, Duration window, Clock clock) {
    if (max < 1 || window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException(
          "limit of " + max + " attempts per " + window + "; expected >= 1 per positive window");
    }
    if (name == null || name.isEmpty() || name.length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException(
          "attempt limiter name \"" + name + "\"; expected 1 to " + MAX_KEY_CHARS + " characters");
    }
    this.db = Objects.requireNonNull(db, "db");
    this.name = name;
    this.max = max;
    this.windowMs = window.toMillis();
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public long tryAcquire(String key) {
    String k = stored(Objects.requireNonNull(key, "key"));
    long now = clock.millis();
    long horizon = now - windowMs;
    sweep(now, horizon);
    return Unchecked.io(
        () ->
            db.transaction(
                c -> {
                  Sql.update(
                      c,
                      "DELETE FROM attempts WHERE name = ? AND key = ? AND at_ms <= ?",
                      name,
                      k,
                      horizon);
                  long[] countAndOldest =
                      Sql.first(
                          c,
                          "SELECT count(*), min(at_ms) FROM attempts WHERE name = ? AND key = ?",
                          rs -> new long[] {rs.getLong(1), rs.getLong(2)},
                          name,
                          k);
                  if (countAndOldest[0] >= max) {
                    long waitMillis = countAndOldest[1] + windowMs - now;
                    return Math.max(1, (waitMillis + 999) / 1000);
                  }
                  Sql.update(
                      c, "INSERT INTO attempts (name, key, at_ms) VALUES (?, ?, ?)", name, k, now);
                  return 0L;
                }));
  }

  /** Deletes every key's rows that left the window, at most once per window per process. */
  private void sweep(long now, long horizon) {
    long last = lastSweepMs.get();
    if (last != Long.MIN_VALUE && now - last < windowMs) {
      return;
    }
    if (!lastSweepMs.compareAndSet(last, now)) {
      return;
    }
    Unchecked.io(
        () ->
            db.transaction(
                c ->
                    Sql.update(
                        c, "DELETE FROM attempts WHERE name = ? AND at_ms <= ?", name, horizon)));
  }

  private static String stored(String key) {
    return key.length() <= MAX_KEY_CHARS
        ? key
        : "sha256:" + ContentHash.digestOf(key.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
