package io.vaultsync.server.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.SqlWork;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * {@link Database} on PostgreSQL, shared by several server processes: a HikariCP pool of
 * connections; {@link #read} runs on a read-only REPEATABLE READ transaction (one consistent view);
 * {@link #transaction} runs SERIALIZABLE, so transactions that touch the same rows behave as if run
 * one after the other, and runs the work again (up to {@link #MAX_ATTEMPTS} times, after a short
 * random pause) when PostgreSQL reports a serialization failure or a deadlock. The schema comes
 * from the Flyway migrations ({@link PostgresSchema}), applied when the database is opened, so
 * {@link #createTablesIfMissing} does nothing. Commits are durable as PostgreSQL makes them ({@code
 * synchronous_commit}, on by default). Thread-safe.
 */
public final class PostgresDatabase implements Database {
  /** How many times a transaction runs before a conflict is reported. */
  static final int MAX_ATTEMPTS = 12;

  /** The longest pause between two runs of a transaction, in ms (the pause is random below it). */
  static final long MAX_BACKOFF_MS = 200;

  /** How long work waits for a connection before it fails (PostgreSQL down or every one busy). */
  static final long CONNECTION_TIMEOUT_MS = 5_000;

  /** Connections per process unless told otherwise. */
  public static final int DEFAULT_POOL_SIZE = 10;

  private final PostgresUrl url;
  private final HikariDataSource pool;

  private PostgresDatabase(PostgresUrl url, HikariDataSource pool) {
    this.url = url;
    this.pool = pool;
  }

  /**
   * Opens the database at {@code url} with a pool of at most {@code poolSize} connections and
   * brings its schema up to date.
   *
   * @throws IOException with a one-line message naming the URL (without its password) when
   *     PostgreSQL cannot be reached, refuses the login or lacks the database
   */
  public static PostgresDatabase open(PostgresUrl url, int poolSize) throws IOException {
    if (poolSize < 1) {
      throw new IllegalArgumentException("pool of " + poolSize + " connections; expected >= 1");
    }
    PGSimpleDataSource direct = dataSource(url);
    // A first connection outside the pool, so an operator's mistake (a wrong password, a stopped
    // server) becomes one line here rather than the pool's logged stack trace.
    try (Connection c = direct.getConnection()) {
      c.isValid(5);
    } catch (SQLException | RuntimeException e) {
      throw PostgresErrors.cannotOpen(url.describe(), e);
    }
    HikariConfig config = new HikariConfig();
    config.setDataSource(direct);
    config.setPoolName("vaultsync-postgres");
    config.setMaximumPoolSize(poolSize);
    config.setMinimumIdle(Math.min(2, poolSize));
    // How long work waits for a connection (the database down: the call fails after this).
    config.setConnectionTimeout(CONNECTION_TIMEOUT_MS);
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(true);
    HikariDataSource pool = new HikariDataSource(config);
    PostgresDatabase db = new PostgresDatabase(url, pool);
    try {
      PostgresSchema.migrate(pool, url.describe());
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
    return db;
  }

  /** A data source of single connections to {@code url} (no pool). */
  static PGSimpleDataSource dataSource(PostgresUrl url) throws IOException {
    PGSimpleDataSource ds = new PGSimpleDataSource();
    ds.setServerNames(new String[] {url.host()});
    ds.setPortNumbers(new int[] {url.port()});
    ds.setDatabaseName(url.database());
    ds.setUser(url.user());
    if (url.password() != null) {
      ds.setPassword(url.password());
    }
    ds.setConnectTimeout(10);
    ds.setTcpKeepAlive(true);
    ds.setApplicationName("vaultsync");
    for (Map.Entry<String, String> p : url.params().entrySet()) {
      try {
        ds.setProperty(p.getKey(), p.getValue());
      } catch (SQLException | RuntimeException e) {
        throw new IOException(
            "database URL "
                + url.describe()
                + ": parameter "
                + p.getKey()
                + "="
                + p.getValue()
                + " is not one the PostgreSQL JDBC driver knows ("
                + PostgresErrors.firstLine(e)
                + "); remove it or fix its name",
            e);
      }
    }
    return ds;
  }

  @Override
  public <T> T read(SqlWork<T> work) throws IOException {
    try {
      return once(work, "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
    } catch (SQLException e) {
      throw PostgresErrors.failed(url.describe(), e);
    }
  }

  @Override
  public <T> T transaction(SqlWork<T> work) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return once(work, "SET TRANSACTION ISOLATION LEVEL SERIALIZABLE");
      } catch (SQLException | IOException e) {
        if (!PostgresErrors.isRetryable(e)) {
          throw e instanceof IOException io ? io : PostgresErrors.failed(url.describe(), e);
        }
        if (attempt >= MAX_ATTEMPTS) {
          throw new IOException(
              "database "
                  + url.describe()
                  + ": a transaction conflicted with others "
                  + attempt
                  + " times in a row ("
                  + PostgresErrors.firstLine(e)
                  + "); try again",
              e);
        }
        pause(attempt);
      }
    }
  }

  /** Runs {@code work} once in a transaction that {@code begin} sets up; rolls back on failure. */
  private <T> T once(SqlWork<T> work, String begin) throws SQLException, IOException {
    try (Connection c = pool.getConnection()) {
      c.setAutoCommit(false);
      try {
        execute(c, begin);
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | IOException | RuntimeException | Error e) {
        rollback(c, e);
        throw e;
      }
    }
  }

  /** Sleeps a random time below a bound that doubles with each attempt ("full jitter"). */
  private static void pause(int attempt) throws InterruptedIOException {
    long bound = Math.min(MAX_BACKOFF_MS, 2L << Math.min(attempt, 20));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, bound + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while retrying a database transaction");
    }
  }

  private static void rollback(Connection c, Throwable cause) {
    try {
      c.rollback();
    } catch (SQLException | RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** Does nothing: every table comes from the migrations. */
  @Override
  public void createTablesIfMissing(String... statements) {}

  @Override
  public String describe() {
    return url.describe();
  }

  /** Where this database is. */
  public PostgresUrl url() {
    return url;
  }

  /** The pool, for the cluster's own statements (leases, signals). */
  DataSource pool() {
    return pool;
  }

  @Override
  public void close() {
    pool.close();
  }

  @Override
  public String toString() {
    return "PostgresDatabase " + url.describe();
  }
}
