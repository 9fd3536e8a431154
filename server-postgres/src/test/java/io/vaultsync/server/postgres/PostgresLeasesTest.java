package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.server.cluster.Leases;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Leases between two "processes", timed by the database's clock. */
class PostgresLeasesTest extends ClusterTest {

  @Test
  void oneHolderAtATimeWhichMayRenew() throws Exception {
    Leases a = cluster.get(0).leases();
    Leases b = cluster.get(1).leases();
    assertThat(a.hold("snapshots", Duration.ofMinutes(1))).isTrue();
    assertThat(b.hold("snapshots", Duration.ofMinutes(1))).isFalse();
    assertThat(a.hold("snapshots", Duration.ofMinutes(1))).isTrue();
    assertThat(b.hold("snapshots", Duration.ofMinutes(1))).isFalse();
    assertThat(b.hold("repack", Duration.ofMinutes(1))).isTrue();
  }

  @Test
  void whenTheHolderStopsRenewingAnotherTakesOverAfterTheTtl() throws Exception {
    Leases a = cluster.get(0).leases();
    Leases b = cluster.get(1).leases();
    Duration ttl = Duration.ofMillis(1500);
    long lastRenewal = System.nanoTime();
    assertThat(a.hold("master-folder", ttl)).isTrue();
    assertThat(b.hold("master-folder", ttl)).isFalse();
    // a dies here: it renews no more.
    await()
        .atMost(Duration.ofSeconds(15))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> b.hold("master-folder", ttl));
    long waitedMs = (System.nanoTime() - lastRenewal) / 1_000_000;
    assertThat(waitedMs).isGreaterThanOrEqualTo(ttl.toMillis() - 20);
    // b holds it now: a, back, does not get it while b renews.
    assertThat(a.hold("master-folder", ttl)).isFalse();
    assertThat(b.hold("master-folder", ttl)).isTrue();
  }

  @Test
  void releaseLetsAnotherTakeItAtOnce() throws Exception {
    Leases a = cluster.get(0).leases();
    Leases b = cluster.get(1).leases();
    assertThat(a.hold("gc", Duration.ofHours(1))).isTrue();
    b.release("gc"); // not b's: no effect
    assertThat(b.hold("gc", Duration.ofHours(1))).isFalse();
    a.release("gc");
    assertThat(b.hold("gc", Duration.ofHours(1))).isTrue();
  }
}
