package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.vault.VaultLock;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Vault locks across two "processes" (two PostgresClusterDatabase, each with its own pools). */
class PostgresVaultLocksTest extends ClusterTest {
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @AfterEach
  void stopThreads() {
    threads.shutdownNow();
  }

  private static VaultLock lock(int process, String vault) {
    return cluster.get(process).locks().lock(VaultName.of(vault));
  }

  @Test
  void oneWriterAtATimeAcrossProcessesAndThreads() throws Exception {
    AtomicInteger inside = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    AtomicInteger entries = new AtomicInteger();
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      VaultLock lock = lock(t % 2, "shared");
      done.add(
          threads.submit(
              () -> {
                for (int i = 0; i < 15; i++) {
                  lock.lock();
                  try {
                    most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                    entries.incrementAndGet();
                    // Work that takes a while: a round trip to the database.
                    cluster.get(0).database().read(c -> c.isValid(1));
                    inside.decrementAndGet();
                  } finally {
                    lock.unlock();
                  }
                }
                return null;
              }));
    }
    for (Future<?> f : done) {
      f.get(60, TimeUnit.SECONDS);
    }
    assertThat(entries.get()).isEqualTo(60);
    assertThat(most.get()).isEqualTo(1);
  }

  /**
   * Another thread of {@code process} takes the vault's lock and lets it go; done once it had it.
   */
  private Future<?> takeAndRelease(int process, String vault) {
    return threads.submit(
        () -> {
          VaultLock l = lock(process, vault);
          l.lock();
          l.unlock();
          return null;
        });
  }

  @Test
  void reentrantForTheHoldingThreadAndHeldUntilTheLastUnlock() throws Exception {
    VaultLock a = lock(0, "reentrant");
    a.lock();
    a.lock();
    a.unlock();
    Future<?> other = takeAndRelease(1, "reentrant");
    await().atMost(Duration.ofSeconds(10)).until(a::hasQueuedThreads);
    assertThat(other).isNotDone();
    a.unlock();
    other.get(10, TimeUnit.SECONDS);
  }

  @Test
  void differentVaultsDoNotWaitForEachOther() throws Exception {
    VaultLock one = lock(0, "one");
    one.lock();
    try {
      takeAndRelease(1, "two").get(10, TimeUnit.SECONDS);
    } finally {
      one.unlock();
    }
  }

  @Test
  void hasQueuedThreadsSeesAWaiterInThisProcessAndInAnother() throws Exception {
    VaultLock a = lock(0, "queued");
    a.lock();
    try {
      assertThat(a.hasQueuedThreads()).isFalse();
      Future<?> local = takeAndRelease(0, "queued");
      await().atMost(Duration.ofSeconds(10)).until(a::hasQueuedThreads);
      a.unlock();
      local.get(10, TimeUnit.SECONDS);
      a.lock();
      await().atMost(Duration.ofSeconds(2)).until(() -> !a.hasQueuedThreads());
      Future<?> remote = takeAndRelease(1, "queued");
      await().atMost(Duration.ofSeconds(10)).until(a::hasQueuedThreads);
      assertThat(remote).isNotDone();
    } finally {
      a.unlock();
    }
  }

  @Test
  void aLockWhoseConnectionBrokeFailsLoudlyForItsHolder() throws Exception {
    VaultLock a = lock(0, "fragile");
    a.lock();
    assertThat(terminateHolderOf("fragile")).isEqualTo(1);
    // PostgreSQL let the lock go: the other process takes it...
    takeAndRelease(1, "fragile").get(10, TimeUnit.SECONDS);
    // ...and the holder hears of it rather than writing on as if it were alone.
    await()
        .pollInSameThread() // the holder's thread asks
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThatThrownBy(a::hasQueuedThreads)
                    .isInstanceOf(LostVaultLockException.class)
                    .hasMessageContaining("lost the lock of vault fragile"));
    assertThatThrownBy(a::unlock).isInstanceOf(LostVaultLockException.class);
    // The lock works again afterwards.
    a.lock();
    a.unlock();
  }

  /** Ends the database session that holds the advisory lock of {@code vault}; returns how many. */
  private static int terminateHolderOf(String vault) throws Exception {
    long key = PostgresVaultLocks.key(VaultName.of(vault));
    Properties p = new Properties();
    p.setProperty("user", PostgresFixture.USER);
    try (Connection c = DriverManager.getConnection(cluster.url.jdbcUrl(), p);
        PreparedStatement ps =
            c.prepareStatement(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND granted AND classid::bigint = ? AND objid::bigint = ?")) {
      ps.setLong(1, key >>> 32);
      ps.setLong(2, key & 0xffff_ffffL);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return rs.getInt(1);
      }
    }
  }
}
