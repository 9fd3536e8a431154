package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.db.Sql;
import io.vaultsync.server.http.AttemptLimiter;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Attempt limits counted in the database across two "processes" (same rules as in memory). */
class PostgresAttemptLimiterTest extends ClusterTest {
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Test
  void attemptsOnEveryProcessCountTowardsOneLimit() {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    AttemptLimiter a = cluster.get(0).attempts("login", 3, MINUTE, clock);
    AttemptLimiter b = cluster.get(1).attempts("login", 3, MINUTE, clock);
    assertThat(a.tryAcquire("10.0.0.1")).isZero();
    clock.advance(Duration.ofSeconds(10));
    assertThat(b.tryAcquire("10.0.0.1")).isZero();
    assertThat(a.tryAcquire("10.0.0.1")).isZero();
    assertThat(b.tryAcquire("10.0.0.1")).isEqualTo(50); // the first leaves the window in 50 s
    assertThat(a.tryAcquire("10.0.0.2")).isZero(); // another key
    assertThat(cluster.get(1).attempts("share", 3, MINUTE, clock).tryAcquire("10.0.0.1"))
        .isZero(); // another limiter
    clock.advance(Duration.ofSeconds(50));
    assertThat(b.tryAcquire("10.0.0.1")).isZero(); // the window slid past the first
    assertThat(a.tryAcquire("10.0.0.1")).isEqualTo(10);
  }

  @Test
  void concurrentAttemptsFromTwoProcessesLetExactlyMaxThrough() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    List<AttemptLimiter> limiters =
        List.of(
            cluster.get(0).attempts("race", 5, MINUTE, clock),
            cluster.get(1).attempts("race", 5, MINUTE, clock));
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      List<Future<Integer>> allowed = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        AttemptLimiter l = limiters.get(t % 2);
        allowed.add(
            threads.submit(
                () -> {
                  int n = 0;
                  for (int i = 0; i < 5; i++) {
                    n += l.tryAcquire("attacker") == 0 ? 1 : 0;
                  }
                  return n;
                }));
      }
      int total = 0;
      for (Future<Integer> f : allowed) {
        total += f.get(60, TimeUnit.SECONDS);
      }
      assertThat(total).isEqualTo(5);
    } finally {
      threads.shutdownNow();
    }
  }

  @Test
  void rowsOlderThanTheWindowAreDeleted() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    AttemptLimiter a = cluster.get(0).attempts("sweep", 10, MINUTE, clock);
    for (int i = 0; i < 20; i++) {
      a.tryAcquire("client-" + i);
    }
    assertThat(rows("sweep")).isEqualTo(20);
    clock.advance(MINUTE.plusSeconds(1));
    a.tryAcquire("client-new");
    assertThat(rows("sweep")).isEqualTo(1);
  }

  @Test
  void aLongKeyIsStoredAsItsHash() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2026-12-01T10:00:00Z"));
    AttemptLimiter a = cluster.get(0).attempts("long", 1, MINUTE, clock);
    String key = "k".repeat(100_000);
    assertThat(a.tryAcquire(key)).isZero();
    assertThat(a.tryAcquire(key)).isEqualTo(60);
    long longest =
        cluster
            .get(0)
            .database()
            .read(c -> Sql.number(c, "SELECT max(length(key)) FROM attempts WHERE name = 'long'"));
    assertThat(longest).isLessThanOrEqualTo(PostgresAttemptLimiter.MAX_KEY_CHARS);
  }

  private static long rows(String name) throws Exception {
    return cluster
        .get(0)
        .database()
        .read(c -> Sql.number(c, "SELECT count(*) FROM attempts WHERE name = ?", name));
  }
}
