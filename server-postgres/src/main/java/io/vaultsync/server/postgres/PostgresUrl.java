package io.vaultsync.server.postgres;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * Where a PostgreSQL database is, as an operator writes it (libpq's URI form): {@code
 * postgresql://user[:password]@host[:port]/dbname[?param=value&...]} ({@code postgres://} too).
 * User, password and database name are percent-decoded; the password may instead come from {@code
 * PGPASSWORD} and the user from {@code PGUSER}; the port defaults to 5432; an IPv6 host is written
 * in brackets. Parameters go to the JDBC driver as they are (e.g. {@code sslmode=require}, {@code
 * ApplicationName=...}).
 *
 * <p>{@link #toString()} and {@link #describe()} never show the password.
 */
public record PostgresUrl(
    String user,
    String password,
    String host,
    int port,
    String database,
    Map<String, String> params) {
  /** PostgreSQL's port when the URL names none. */
  public static final int DEFAULT_PORT = 5432;

  /** The shape accepted, for messages. */
  public static final String FORM = "postgresql://user[:password]@host[:port]/dbname[?params]";

  private static final int MAX_CHARS = 4096;

  public PostgresUrl {
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(database, "database");
    params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("port " + port + "; expected 1 to 65535");
    }
  }

  /** Whether {@code text} is meant as a PostgreSQL URL (its scheme), well-formed or not. */
  public static boolean isPostgresUrl(String text) {
    return text != null && (text.startsWith("postgresql://") || text.startsWith("postgres://"));
  }

  /** Parses {@code text}, taking a missing user and password from the process's environment. */
  public static PostgresUrl parse(String text) {
    return parse(text, System.getenv());
  }

  /**
   * Parses {@code text}; {@code env} supplies {@code PGUSER} and {@code PGPASSWORD} when the URL
   * has no user or password.
   *
   * @throws IllegalArgumentException with a one-line message (the URL shown without its password)
   */
  public static PostgresUrl parse(String text, Map<String, String> env) {
    if (text == null || !isPostgresUrl(text)) {
      throw bad(text, "it does not start with postgresql://");
    }
    if (text.length() > MAX_CHARS) {
      throw bad(text.substring(0, 80) + "…", "it is longer than " + MAX_CHARS + " characters");
    }
    String rest = text.substring(text.indexOf("://") + 3);
    String query = null;
    int q = rest.indexOf('?');
    if (q >= 0) {
      query = rest.substring(q + 1);
      rest = rest.substring(0, q);
    }
    int at = rest.lastIndexOf('@');
    String userInfo = at >= 0 ? rest.substring(0, at) : null;
    String hostAndPath = rest.substring(at + 1);
    int slash = hostAndPath.indexOf('/');
    if (slash < 0 || slash == hostAndPath.length() - 1) {
      throw bad(text, "it names no database (…/dbname)");
    }
    String hostPort = hostAndPath.substring(0, slash);
    String database = decode(text, hostAndPath.substring(slash + 1));
    if (database.contains("/")) {
      throw bad(text, "the database name \"" + database + "\" contains a '/'");
    }

    String host;
    String portText = null;
    if (hostPort.startsWith("[")) {
      int close = hostPort.indexOf(']');
      if (close < 0) {
        throw bad(text, "an IPv6 host lacks its closing ']'");
      }
      host = hostPort.substring(1, close);
      String after = hostPort.substring(close + 1);
      if (!after.isEmpty()) {
        if (!after.startsWith(":")) {
          throw bad(text, "unexpected \"" + after + "\" after the host");
        }
        portText = after.substring(1);
      }
    } else {
      int colon = hostPort.indexOf(':');
      host = colon >= 0 ? hostPort.substring(0, colon) : hostPort;
      portText = colon >= 0 ? hostPort.substring(colon + 1) : null;
    }
    if (host.isEmpty()) {
      throw bad(text, "it names no host (a socket folder is not supported: use host:port)");
    }
    int port = DEFAULT_PORT;
    if (portText != null) {
      try {
        port = Integer.parseInt(portText);
      } catch (NumberFormatException e) {
        port = -1;
      }
      if (port < 1 || port > 65535) {
        throw bad(text, "port \"" + portText + "\" is not a number from 1 to 65535");
      }
    }

    String user = null;
    String password = null;
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(text, colon >= 0 ? userInfo.substring(0, colon) : userInfo);
      password = colon >= 0 ? decode(text, userInfo.substring(colon + 1)) : null;
    }
    if (user == null || user.isEmpty()) {
      user = env.get("PGUSER");
    }
    if (user == null || user.isEmpty()) {
      throw bad(text, "it names no user (user@host) and PGUSER is not set");
    }
    if (password == null || password.isEmpty()) {
      password = env.get("PGPASSWORD");
    }

    Map<String, String> params = new LinkedHashMap<>();
    if (query != null && !query.isEmpty()) {
      for (String pair : query.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw bad(text, "parameter \"" + pair + "\" is not name=value");
        }
        String name = decode(text, pair.substring(0, eq));
        if (name.equalsIgnoreCase("password") || name.equalsIgnoreCase("user")) {
          throw bad(text, "put the " + name + " before the host (user:password@host)");
        }
        params.put(name, decode(text, pair.substring(eq + 1)));
      }
    }
    return new PostgresUrl(
        user,
        password == null || password.isEmpty() ? null : password,
        host,
        port,
        database,
        params);
  }

  /** The URL without the password, for messages and logs. */
  public String describe() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    String query =
        params.isEmpty()
            ? ""
            : params.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue())
                .collect(Collectors.joining("&", "?", ""));
    return "postgresql://" + user + "@" + h + ":" + port + "/" + database + query;
  }

  /**
   * The JDBC URL of the same database (no user, password or parameters: those go as properties).
   */
  public String jdbcUrl() {
    String h = host.contains(":") ? "[" + host + "]" : host;
    return "jdbc:postgresql://"
        + h
        + ":"
        + port
        + "/"
        + java.net.URLEncoder.encode(database, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A URL of another database on the same server with the same user and password. */
  public PostgresUrl withDatabase(String otherDatabase) {
    return new PostgresUrl(user, password, host, port, otherDatabase, params);
  }

  @Override
  public String toString() {
    return describe();
  }

  private static String decode(String url, String part) {
    try {
      return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw bad(url, "\"" + hidePassword(part) + "\" has a broken %-escape");
    }
  }

  private static IllegalArgumentException bad(String url, String why) {
    return new IllegalArgumentException(
        "database URL \""
            + hidePassword(url)
            + "\" is not "
            + FORM
            + ": "
            + why
            + "; fix --database");
  }

  /** {@code text} with what may be a password (between the user's ':' and '@') replaced. */
  static String hidePassword(String text) {
    if (text == null) {
      return "null";
    }
    int scheme = text.indexOf("://");
    int start = scheme >= 0 ? scheme + 3 : 0;
    int at = text.lastIndexOf('@');
    if (at < start) {
      return text;
    }
    int colon = text.indexOf(':', start);
    if (colon < 0 || colon > at) {
      return text;
    }
    return text.substring(0, colon + 1) + "***" + text.substring(at);
  }
}
