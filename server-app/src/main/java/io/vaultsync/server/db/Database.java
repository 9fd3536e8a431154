package io.vaultsync.server.db;

import java.io.IOException;

/**
 * The server's metadata database, where the ledger, head, history, tokens, shares, quotas and
 * retention live: SQLite in the data folder ({@code SqliteDatabase}, one process) or PostgreSQL
 * (the {@code server-postgres} module, several processes). The stores ({@code SqlLedgerStore} and
 * the others) are written once in SQL both accept: standard statements, {@code INSERT ... ON
 * CONFLICT}, text compared byte by byte (PostgreSQL's columns use the "C" collation).
 *
 * <p>Thread-safe. Errors are {@link IOException}s whose message names the database.
 */
public interface Database extends AutoCloseable {
  /** Runs read-only work on one consistent view of the database. */
  <T> T read(SqlWork<T> work) throws IOException;

  /**
   * Runs work in one transaction: all of it commits (durably) or none of it. Transactions that
   * touch the same rows behave as if they ran one after the other (SQLite has one writer;
   * PostgreSQL runs them serializable and retries {@code work} after a serialization failure).
   */
  <T> T transaction(SqlWork<T> work) throws IOException;

  /**
   * Creates a store's tables if they are missing, in one transaction: SQLite runs {@code
   * statements} (its stores create their optional tables when they open); PostgreSQL has every
   * table from its migrations and ignores them.
   */
  void createTablesIfMissing(String... statements) throws IOException;

  /** What to call this database in a message: its file, or its URL without the password. */
  String describe();

  @Override
  void close() throws IOException;
}
