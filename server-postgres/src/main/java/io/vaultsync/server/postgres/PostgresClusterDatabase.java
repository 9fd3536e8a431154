package io.vaultsync.server.postgres;

import io.vaultsync.server.cluster.ChangeSignals;
import io.vaultsync.server.cluster.ClusterDatabase;
import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.http.AttemptLimiter;
import io.vaultsync.server.http.Sessions;
import io.vaultsync.server.vault.VaultLocks;
import java.io.IOException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One server process's view of the PostgreSQL database that every process of a cluster shares: the
 * metadata {@link PostgresDatabase}, vault locks as advisory locks ({@link PostgresVaultLocks}),
 * change signals over LISTEN/NOTIFY ({@link PostgresChangeSignals}), leases ({@link
 * PostgresLeases}), sessions, attempt limits and secrets in tables. Connections per process: the
 * pool's (default {@value PostgresDatabase#DEFAULT_POOL_SIZE}), up to {@value
 * PostgresVaultLocks#MAX_HELD} for held vault locks, and one listening; size PostgreSQL's {@code
 * max_connections} for the number of processes. Thread-safe.
 */
public final class PostgresClusterDatabase implements ClusterDatabase {
  private final PostgresDatabase database;
  private final PostgresVaultLocks locks;
  private final PostgresChangeSignals signals;
  private final PostgresLeases leases;

  private PostgresClusterDatabase(
      PostgresDatabase database,
      PostgresVaultLocks locks,
      PostgresChangeSignals signals,
      PostgresLeases leases) {
    this.database = database;
    this.locks = locks;
    this.signals = signals;
    this.leases = leases;
  }

  /**
   * Opens the database at {@code url} (migrating its schema) for the process named {@code
   * serverId}, with a pool of {@code poolSize} connections.
   *
   * @throws IOException with a one-line message naming the URL (without its password)
   */
  public static PostgresClusterDatabase open(PostgresUrl url, String serverId, int poolSize)
      throws IOException {
    Objects.requireNonNull(serverId, "serverId");
    PostgresDatabase database = PostgresDatabase.open(url, poolSize);
    try {
      var direct = PostgresDatabase.dataSource(url);
      String where = url.describe();
      // Unique per process even when two are given the same id: a lease is never shared.
      byte[] nonce = new byte[6];
      new SecureRandom().nextBytes(nonce);
      String holder = serverId + "/" + HexFormat.of().formatHex(nonce);
      return new PostgresClusterDatabase(
          database,
          new PostgresVaultLocks(direct, where),
          new PostgresChangeSignals(database.pool(), direct, where),
          new PostgresLeases(database.pool(), holder, where));
    } catch (IOException | RuntimeException e) {
      database.close();
      throw e;
    }
  }

  @Override
  public PostgresDatabase database() {
    return database;
  }

  @Override
  public VaultLocks locks() {
    return locks;
  }

  @Override
  public ChangeSignals signals() {
    return signals;
  }

  @Override
  public Leases leases() {
    return leases;
  }

  @Override
  public Sessions sessions(Clock clock) {
    return new PostgresSessions(database, clock);
  }

  @Override
  public AttemptLimiter attempts(String name, int max, Duration window, Clock clock) {
    return new PostgresAttemptLimiter(database, name, max, window, clock);
  }

  @Override
  public byte[] secret(String name) throws IOException {
    return PostgresSecrets.secret(database, name);
  }

  /** This process's name in the leases table: its server id and a random suffix. */
  public String holder() {
    return leases.holder();
  }

  /** Whether this process's change signals connection listens (for tests and health checks). */
  public boolean listening() {
    return signals.listening();
  }

  @Override
  public void close() {
    try {
      signals.close();
    } finally {
      try {
        locks.close();
      } finally {
        database.close();
      }
    }
  }

  @Override
  public String toString() {
    return "PostgresClusterDatabase " + database.describe() + " as " + leases.holder();
  }
}
