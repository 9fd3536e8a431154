package io.vaultsync.server.db;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * The JDBC steps every SQLite store repeats, written once: prepare a statement, bind its parameters
 * in order, run it, map its rows and close it all. The SQL stays at the call site; this is not a
 * query builder. Parameters are {@code Long}, {@code Integer}, {@code String}, {@code byte[]} or
 * null (bound as SQL NULL); anything else is a caller bug.
 */
public final class Sql {
  /** Maps the current row of a result set. */
  @FunctionalInterface
  public interface Row<T> {
    T map(ResultSet rs) throws SQLException;
  }

  /** Takes the current row of a result set (for reads that fold rows into something else). */
  @FunctionalInterface
  public interface RowAction {
    void accept(ResultSet rs) throws SQLException;
  }

  private Sql() {}

  /** Every row of the query, mapped, in the order the query returns them. */
  public static <T> List<T> list(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    List<T> out = new ArrayList<>();
    forEach(c, sql, rs -> out.add(row.map(rs)), params);
    return out;
  }

  /** Runs the query and hands each row to {@code action}. */
  public static void forEach(Connection c, String sql, RowAction action, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          action.accept(rs);
        }
      }
    }
  }

  /** The first row of the query, mapped, or null if it returns none. */
  public static <T> T first(Connection c, String sql, Row<T> row, Object... params)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? row.map(rs) : null;
      }
    }
  }

  /** Whether the query returns a row. */
  public static boolean exists(Connection c, String sql, Object... params) throws SQLException {
    return first(c, sql, rs -> Boolean.TRUE, params) != null;
  }

  /** The first column of the first row as a number, or null if there is no row or it is NULL. */
  public static Long number(Connection c, String sql, Object... params) throws SQLException {
    return first(
        c,
        sql,
        rs -> {
          long n = rs.getLong(1);
          return rs.wasNull() ? null : n;
        },
        params);
  }

  /** Runs an INSERT, UPDATE or DELETE; returns the number of rows it changed. */
  public static int update(Connection c, String sql, Object... params) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      bind(ps, params);
      return ps.executeUpdate();
    }
  }

  /** Runs a statement without parameters (a {@code CREATE TABLE}, a {@code PRAGMA}). */
  public static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Binds {@code params} to {@code ps}, the first to parameter 1. */
  public static void bind(PreparedStatement ps, Object... params) throws SQLException {
    for (int i = 0; i < params.length; i++) {
      Object p = params[i];
      if (p == null) {
        ps.setNull(i + 1, java.sql.Types.NULL);
      } else if (p instanceof Long n) {
        ps.setLong(i + 1, n);
      } else if (p instanceof Integer n) {
        ps.setInt(i + 1, n);
      } else if (p instanceof String s) {
        ps.setString(i + 1, s);
      } else if (p instanceof byte[] b) {
        ps.setBytes(i + 1, b);
      } else {
        throw new IllegalArgumentException(
            "SQL parameter "
                + (i + 1)
                + " is a "
                + p.getClass().getName()
                + "; expected a"
                + " Long, Integer, String, byte[] or null");
      }
    }
  }
}
