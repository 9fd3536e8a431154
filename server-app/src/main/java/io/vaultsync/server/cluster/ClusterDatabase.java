package io.vaultsync.server.cluster;

import io.vaultsync.server.db.Database;
import io.vaultsync.server.http.AttemptLimiter;
import io.vaultsync.server.http.Sessions;
import io.vaultsync.server.vault.VaultLocks;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

/**
 * A database that several server processes share (PostgreSQL), with what makes them one server: the
 * metadata {@link #database}, each vault's write lock held across processes, the change signals
 * between their feeds, the leases of once-per-cluster work, and the HTTP state a request may need
 * on whichever process it reaches (sessions, CSRF key, attempt limits). Opened through a {@link
 * Provider} found by {@link java.util.ServiceLoader}, so that server-app does not depend on the
 * module that implements it. Thread-safe.
 */
public interface ClusterDatabase extends AutoCloseable {
  Database database();

  /** Each vault's write lock, held across every process of the cluster. */
  VaultLocks locks();

  ChangeSignals signals();

  Leases leases();

  /** HTTP sessions every process sees. */
  Sessions sessions(Clock clock);

  /** At most {@code max} attempts per key per {@code window}, counted across processes. */
  AttemptLimiter attempts(String name, int max, Duration window, Clock clock);

  /**
   * A secret of 32 random bytes that every process reads the same (made by the first that asks),
   * such as the CSRF tokens' key.
   */
  byte[] secret(String name) throws IOException;

  @Override
  void close() throws IOException;

  /** Opens cluster databases of some URL schemes. */
  interface Provider {
    /** Whether this provider opens {@code url} (e.g. {@code postgresql://...}). */
    boolean opens(String url);

    /**
     * Opens (migrating its schema) the database at {@code url}; {@code serverId} names this process
     * in leases and logs.
     *
     * @throws IOException with a one-line message naming the URL (without its password) when it
     *     cannot be reached or refuses the credentials
     */
    ClusterDatabase open(String url, String serverId) throws IOException;
  }
}
