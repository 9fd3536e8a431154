package io.vaultsync.server.postgres;

import io.vaultsync.server.cluster.StorageUnavailableException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.sql.SQLException;

/**
 * Turns what PostgreSQL or the driver reports into one-line messages that name the database (its
 * URL without the password) and what to do. The SQLSTATE classes used are PostgreSQL's (appendix A
 * of its manual).
 */
final class PostgresErrors {
  /** Serialization failure: the transaction may succeed if run again. */
  static final String SERIALIZATION_FAILURE = "40001";

  /** Deadlock detected: the transaction may succeed if run again. */
  static final String DEADLOCK = "40P01";

  private PostgresErrors() {}

  /**
   * The error of a first connection: unreachable, refused credentials, missing database... A {@link
   * StorageUnavailableException}, which server-app shows as it is (one line, no trace).
   */
  static StorageUnavailableException cannotOpen(String where, Throwable e) {
    SQLException sql = find(e);
    String state = sql == null ? null : sql.getSQLState();
    String detail = firstLine(sql != null ? sql : e);
    if (state != null && (state.equals("28P01") || state.equals("28000"))) {
      return new StorageUnavailableException(
          "PostgreSQL at "
              + where
              + " refused the login: "
              + detail
              + "; check the user and password (in the URL or PGPASSWORD) and pg_hba.conf",
          e);
    }
    if ("3D000".equals(state)) {
      return new StorageUnavailableException(
          "PostgreSQL at "
              + where
              + ": "
              + detail
              + "; create the database (createdb) or fix the name in the URL",
          e);
    }
    if (isConnectionProblem(e)) {
      return new StorageUnavailableException(
          "cannot reach PostgreSQL at "
              + where
              + ": "
              + detail
              + "; check that it runs and that the host and port are right",
          e);
    }
    return new StorageUnavailableException(
        "cannot open PostgreSQL database " + where + ": " + detail, e);
  }

  /** The error of work on an open database. */
  static IOException failed(String where, Throwable e) {
    if (isConnectionProblem(e)) {
      String first = firstLine(e);
      String root = firstLine(rootCause(e));
      return new IOException(
          "database "
              + where
              + ": connection lost or refused: "
              + first
              + (root.equals(first) ? "" : " (" + root + ")")
              + "; check that PostgreSQL runs, then retry",
          e);
    }
    return new IOException("database " + where + ": " + firstLine(e), e);
  }

  /** Whether running the transaction again may succeed (serialization failure or deadlock). */
  static boolean isRetryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        for (SQLException n = s; n != null; n = n.getNextException()) {
          String state = n.getSQLState();
          if (SERIALIZATION_FAILURE.equals(state) || DEADLOCK.equals(state)) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /** Whether {@code e} says the connection failed (SQLSTATE class 08, or a socket error). */
  static boolean isConnectionProblem(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s && s.getSQLState() != null) {
        String state = s.getSQLState();
        if (state.startsWith("08") || state.equals("57P01") || state.equals("57P03")) {
          return true;
        }
      }
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof java.net.SocketException
          || t instanceof java.io.EOFException) {
        return true;
      }
    }
    return false;
  }

  /** The first line of the most telling message in {@code e}'s causes. */
  static String firstLine(Throwable e) {
    String m = null;
    for (Throwable t = e; t != null && m == null; t = t.getCause()) {
      m = t.getMessage();
    }
    if (m == null) {
      return e.getClass().getSimpleName();
    }
    m = m.strip();
    int nl = m.indexOf('\n');
    return nl >= 0 ? m.substring(0, nl).strip() : m;
  }

  private static Throwable rootCause(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    return t;
  }

  private static SQLException find(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s) {
        return s;
      }
    }
    return null;
  }
}
