package io.vaultsync.server.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.vault.VaultLock;
import io.vaultsync.server.vault.VaultLocks;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Each vault's write lock held across every server process of a cluster: a PostgreSQL session-level
 * advisory lock ({@code pg_advisory_lock}) on a connection that the holder keeps while it holds the
 * lock. The key is a stable 64-bit hash of the vault's name ({@link #key}), the same in every
 * process and every version.
 *
 * <p>Within a process a fair {@link ReentrantLock} per vault comes first, so only the thread that
 * holds it asks PostgreSQL (which queues its waiters in order) and the lock is reentrant per
 * thread. {@link VaultLock#hasQueuedThreads} is true when a thread of this process waits or, asked
 * at most every {@link #WAITERS_CHECK_NANOS}, another process waits in {@code pg_locks}.
 *
 * <p>If the holder's connection breaks, PostgreSQL lets the lock go and another process may take
 * it: the holder learns it loudly, from {@link VaultLock#hasQueuedThreads} or {@link
 * VaultLock#unlock}, which then throw {@link LostVaultLockException}. (The ledger's own transaction
 * still checks and advances the head under a row lock, so a lost lock cannot make a gap or a
 * duplicate seq.)
 *
 * <p>Lock connections come from their own small pool ({@link #MAX_HELD} at once), apart from the
 * database's, so held locks never starve the transactions their holders run. Thread-safe.
 */
final class PostgresVaultLocks implements VaultLocks, AutoCloseable {
  /** Most vault locks this process holds at once (one connection each). */
  static final int MAX_HELD = 16;

  /** How often, at most, {@code pg_locks} is asked whether another process waits. */
  static final long WAITERS_CHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

  private final HikariDataSource pool;
  private final String where;
  private final Map<VaultName, Lock> locks = new ConcurrentHashMap<>();

  PostgresVaultLocks(DataSource connections, String where) {
    HikariConfig config = new HikariConfig();
    config.setDataSource(connections);
    config.setPoolName("vaultsync-postgres-locks");
    config.setMaximumPoolSize(MAX_HELD);
    config.setMinimumIdle(1);
    config.setConnectionTimeout(TimeUnit.MINUTES.toMillis(2));
    config.setInitializationFailTimeout(-1);
    config.setAutoCommit(true);
    this.pool = new HikariDataSource(config);
    this.where = where;
  }

  @Override
  public VaultLock lock(VaultName vault) {
    return locks.computeIfAbsent(vault, Lock::new);
  }

  /** The advisory lock key of {@code vault}: the first 8 bytes of a SHA-256 of its name. */
  static long key(VaultName vault) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("vaultsync vault lock\0" + vault.value()).getBytes(StandardCharsets.UTF_8));
      return ByteBuffer.wrap(digest).getLong();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    pool.close();
  }

  /** One vault's lock. */
  private final class Lock implements VaultLock {
    private final VaultName vault;
    private final long key;
    private final ReentrantLock local = new ReentrantLock(true);
    private Connection held; // guarded by local
    private volatile long waitersCheckedAt = System.nanoTime() - WAITERS_CHECK_NANOS;
    private volatile boolean othersWait;

    Lock(VaultName vault) {
      this.vault = vault;
      this.key = key(vault);
    }

    @Override
    public void lock() {
      local.lock();
      if (local.getHoldCount() > 1) {
        return;
      }
      Connection c = null;
      try {
        c = pool.getConnection();
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_lock(?)")) {
          ps.setLong(1, key);
          ps.execute();
        }
        held = c;
      } catch (SQLException | RuntimeException e) {
        discard(c);
        local.unlock();
        throw new LostVaultLockException(
            "cannot take the lock of vault "
                + vault
                + " in database "
                + where
                + ": "
                + PostgresErrors.firstLine(e),
            e);
      }
    }

    @Override
    public void unlock() {
      if (!local.isHeldByCurrentThread()) {
        throw new IllegalMonitorStateException(
            "the lock of vault " + vault + " is not held by this thread");
      }
      if (local.getHoldCount() > 1) {
        local.unlock();
        return;
      }
      Connection c = held;
      held = null;
      String lost = null;
      Throwable cause = null;
      try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_unlock(?)")) {
        ps.setLong(1, key);
        try (ResultSet rs = ps.executeQuery()) {
          if (!rs.next() || !rs.getBoolean(1)) {
            lost = "PostgreSQL no longer knew it as held";
          }
        }
      } catch (SQLException | RuntimeException e) {
        lost = PostgresErrors.firstLine(e);
        cause = e;
      } finally {
        if (lost == null) {
          close(c);
        } else {
          discard(c);
        }
        local.unlock();
      }
      if (lost != null) {
        throw lost(lost, cause);
      }
    }

    @Override
    public boolean hasQueuedThreads() {
      if (local.hasQueuedThreads()) {
        return true;
      }
      long now = System.nanoTime();
      if (now - waitersCheckedAt < WAITERS_CHECK_NANOS) {
        return othersWait;
      }
      boolean mine = local.isHeldByCurrentThread();
      Connection c = mine ? held : null;
      try {
        if (c == null) {
          c = pool.getConnection();
        }
        othersWait = othersWait(c);
      } catch (SQLException | RuntimeException e) {
        if (mine) {
          // The connection that holds the lock broke: PostgreSQL has let the lock go.
          throw lost(PostgresErrors.firstLine(e), e);
        }
        othersWait = false;
      } finally {
        if (!mine) {
          close(c);
        }
      }
      waitersCheckedAt = System.nanoTime();
      return othersWait;
    }

    private boolean othersWait(Connection c) throws SQLException {
      try (PreparedStatement ps =
          c.prepareStatement(
              "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                  + " AND database = (SELECT oid FROM pg_database"
                  + " WHERE datname = current_database())"
                  + " AND classid::bigint = ? AND objid::bigint = ? AND objsubid = 1)")) {
        ps.setLong(1, key >>> 32);
        ps.setLong(2, key & 0xffff_ffffL);
        try (ResultSet rs = ps.executeQuery()) {
          return rs.next() && rs.getBoolean(1);
        }
      }
    }

    private LostVaultLockException lost(String why, Throwable cause) {
      return new LostVaultLockException(
          "lost the lock of vault "
              + vault
              + " while holding it ("
              + why
              + "; database "
              + where
              + "): another server may have written the vault meanwhile; the ledger's head check"
              + " keeps its seqs gap-free, but retry the work",
          cause);
    }

    @Override
    public String toString() {
      return "lock of vault " + vault + " across servers (key " + key + "): " + local;
    }
  }

  private void discard(Connection c) {
    if (c != null) {
      pool.evictConnection(c);
    }
  }

  private static void close(Connection c) {
    if (c != null) {
      try {
        c.close();
      } catch (SQLException e) {
        // returning a connection to the pool: nothing to do
      }
    }
  }
}
