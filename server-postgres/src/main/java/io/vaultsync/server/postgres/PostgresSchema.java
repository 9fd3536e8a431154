package io.vaultsync.server.postgres;

import java.io.IOException;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationVersion;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The schema of vaultsync's PostgreSQL database, made and upgraded by Flyway from the scripts in
 * {@code io/vaultsync/server/postgres/migration} ({@code V1__schema.sql}: the SQLite schema at its
 * version 5 plus the cluster's tables). Several processes may migrate at once: Flyway takes a
 * PostgreSQL advisory lock. A database that a newer server migrated past what this code knows is
 * refused, as SQLite's is.
 */
final class PostgresSchema {
  /** Where the migration scripts are on the class path. */
  static final String LOCATION = "classpath:io/vaultsync/server/postgres/migration";

  /** The newest schema version this code knows (the highest V<n>__ script). */
  static final int VERSION = 3;

  private static final Logger log = LoggerFactory.getLogger(PostgresSchema.class);

  private PostgresSchema() {}

  /** Brings the database at {@code where} to {@link #VERSION}. */
  static void migrate(DataSource dataSource, String where) throws IOException {
    Flyway flyway =
        Flyway.configure(PostgresSchema.class.getClassLoader())
            .dataSource(dataSource)
            .locations(LOCATION)
            .failOnMissingLocations(true)
            .cleanDisabled(true)
            .ignoreMigrationPatterns("*:future")
            .load();
    try {
      MigrationInfo current = flyway.info().current();
      if (current != null
          && current.getVersion() != null
          && current.getVersion().isNewerThan(MigrationVersion.fromVersion("" + VERSION))) {
        throw new IOException(
            "database "
                + where
                + " has schema version "
                + current.getVersion()
                + "; this server knows up to "
                + VERSION
                + " (run a newer vaultsync)");
      }
      MigrateResult result = flyway.migrate();
      if (result.migrationsExecuted > 0) {
        log.info(
            "database {}: schema migrated from version {} to {}",
            where,
            result.initialSchemaVersion == null ? "none" : result.initialSchemaVersion,
            result.targetSchemaVersion);
      }
    } catch (FlywayException e) {
      throw new IOException(
          "cannot bring database "
              + where
              + " to schema version "
              + VERSION
              + ": "
              + PostgresErrors.firstLine(e),
          e);
    }
  }
}
