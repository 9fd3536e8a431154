package io.vaultsync.server.retention;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.cluster.Leases;
import io.vaultsync.server.db.SqliteDatabase;
import io.vaultsync.server.store.ContentRoots;
import io.vaultsync.server.store.GarbageCollecting;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The object store's garbage collection runs in the process holding its lease only: orphans swept
 * every pass, content collected once per period with the roots the records name.
 */
class ObjectStoreGcTest {
  @TempDir Path dir;

  @Test
  void sweepsEveryPassCollectsOncePerPeriodAndOnlyWhileHoldingTheLease() throws IOException {
    List<String> calls = new ArrayList<>();
    GarbageCollecting store =
        new GarbageCollecting() {
          @Override
          public String collectGarbage(ContentRoots roots) throws IOException {
            Set<ContentHash> named = roots.named();
            calls.add("collect " + named.size());
            return "collected";
          }

          @Override
          public String sweepOrphans() {
            calls.add("sweep");
            return "swept";
          }
        };
    AtomicBoolean held = new AtomicBoolean(true);
    Leases leases =
        new Leases() {
          @Override
          public boolean hold(String name, Duration ttl) {
            assertThat(name).isEqualTo(ObjectStoreGc.LEASE);
            return held.get();
          }

          @Override
          public void release(String name) {}
        };
    Instant[] now = {Instant.parse("2026-12-07T00:00:00Z")};
    Clock clock =
        new Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
          }

          @Override
          public Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public Instant instant() {
            return now[0];
          }
        };
    try (SqliteDatabase db = SqliteDatabase.open(dir.resolve("vaultsync.db"));
        ObjectStoreGc gc =
            new ObjectStoreGc(
                store, new SqlRetentionStore(db), leases, Duration.ofHours(24), clock)) {
      gc.pass();
      now[0] = now[0].plus(Duration.ofHours(1));
      gc.pass();
      held.set(false); // another process took the lease
      now[0] = now[0].plus(Duration.ofHours(30));
      gc.pass();
      held.set(true);
      gc.pass();
    }
    assertThat(calls).containsExactly("sweep", "collect 0", "sweep", "sweep", "collect 0");
  }
}
