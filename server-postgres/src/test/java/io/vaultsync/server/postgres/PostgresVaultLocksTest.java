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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Vault locks across two "processes" (two PostgresClusterDatabase, each with its own pools). */
class PostgresVaultLocksTest {
  private static Processes cluster;
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeAll
  static void start() throws Exception {
    cluster = new Processes(2);
  }

  @AfterAll
  static void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

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

  @Test
  void reentrantForTheHoldingThreadAndHeldUntilTheLastUnlock() throws Exception {
    VaultLock a = lock(0, "reentrant");
    a.lock();
    a.lock();
    a.unlock();
    Future<?> other =
        threads.submit(
            () -> {
              VaultLock b = lock(1, "reentrant");
              b.lock();
              b.unlock();
              return null;
            });
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
      threads
          .submit(
              () -> {
                VaultLock two = lock(1, "two");
                two.lock();
                two.unlock();
                return null;
              })
          .get(10, TimeUnit.SECONDS);
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
      CountDownLatch gotIt = new CountDownLatch(1);
      threads.submit(
          () -> {
            VaultLock local = lock(0, "queued");
            local.lock();
            gotIt.countDown();
            local.unlock();
            return null;
          });
      await().atMost(Duration.ofSeconds(10)).until(a::hasQueuedThreads);
      a.unlock();
      assertThat(gotIt.await(10, TimeUnit.SECONDS)).isTrue();
      a.lock();
      await().atMost(Duration.ofSeconds(2)).until(() -> !a.hasQueuedThreads());
      CountDownLatch remoteGotIt = new CountDownLatch(1);
      threads.submit(
          () -> {
            VaultLock remote = lock(1, "queued");
            remote.lock();
            remoteGotIt.countDown();
            remote.unlock();
            return null;
          });
      await().atMost(Duration.ofSeconds(10)).until(a::hasQueuedThreads);
      assertThat(remoteGotIt.getCount()).isEqualTo(1);
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
    threads
        .submit(
            () -> {
              VaultLock b = lock(1, "fragile");
              b.lock();
              b.unlock();
              return null;
            })
        .get(10, TimeUnit.SECONDS);
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
