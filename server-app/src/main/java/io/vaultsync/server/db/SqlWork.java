package io.vaultsync.server.db;

import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * Work with a database connection, run by {@link Database#read} or {@link Database#transaction}.
 * Transaction work may run more than once (PostgreSQL retries a serialization failure), so it does
 * nothing outside the database.
 */
@FunctionalInterface
public interface SqlWork<T> {
  T run(Connection c) throws SQLException, IOException;
}
