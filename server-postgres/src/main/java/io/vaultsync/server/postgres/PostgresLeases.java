package io.vaultsync.server.postgres;

import io.vaultsync.server.cluster.Leases;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@link Leases} in table {@code leases(name, holder, expires_ms)}. Taking a free or expired lease
 * and renewing one's own are one statement ({@code INSERT ... ON CONFLICT DO UPDATE ... WHERE}), so
 * two processes never both hold a lease; times are the database's clock ({@code
 * clock_timestamp()}), so processes whose clocks disagree still agree on when a lease runs out.
 * Thread-safe.
 */
final class PostgresLeases implements Leases {
  /** Longest lease name accepted. */
  static final int MAX_NAME_CHARS = 200;

  private static final String NOW_MS = "(extract(epoch FROM clock_timestamp()) * 1000)::bigint";

  private final DataSource pool;
  private final String holder;
  private final String where;

  /**
   * @param holder this process's name in the table (unique per process)
   */
  PostgresLeases(DataSource pool, String holder, String where) {
    this.pool = pool;
    this.holder = Objects.requireNonNull(holder, "holder");
    this.where = where;
  }

  @Override
  public boolean hold(String name, Duration ttl) throws IOException {
    checkName(name);
    if (ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("lease " + name + " for " + ttl + "; expected > 0");
    }
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO leases (name, holder, expires_ms) VALUES (?, ?, "
                    + NOW_MS
                    + " + ?) ON CONFLICT (name) DO UPDATE"
                    + " SET holder = EXCLUDED.holder, expires_ms = EXCLUDED.expires_ms"
                    + " WHERE leases.holder = EXCLUDED.holder OR leases.expires_ms <= "
                    + NOW_MS
                    + " RETURNING holder")) {
      ps.setString(1, name);
      ps.setString(2, holder);
      ps.setLong(3, ttl.toMillis());
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() && holder.equals(rs.getString(1));
      }
    } catch (SQLException e) {
      throw PostgresErrors.failed(where, e);
    }
  }

  @Override
  public void release(String name) throws IOException {
    checkName(name);
    try (Connection c = pool.getConnection();
        PreparedStatement ps =
            c.prepareStatement("DELETE FROM leases WHERE name = ? AND holder = ?")) {
      ps.setString(1, name);
      ps.setString(2, holder);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw PostgresErrors.failed(where, e);
    }
  }

  /** This process's name in the table. */
  String holder() {
    return holder;
  }

  private static void checkName(String name) {
    if (name == null || name.isEmpty() || name.length() > MAX_NAME_CHARS) {
      throw new IllegalArgumentException(
          "lease name \"" + name + "\"; expected 1 to " + MAX_NAME_CHARS + " characters");
    }
  }
}
