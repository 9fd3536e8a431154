package io.vaultsync.server.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.testkit.ManualClock;
import io.vaultsync.server.http.Sessions;
import io.vaultsync.server.http.Sessions.Session;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Sessions in the database, seen by two "processes" (same rules as MemorySessions). */
class PostgresSessionsTest extends ClusterTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant TOKEN = Instant.parse("2026-11-01T10:00:00Z");

  private ManualClock clock;
  private Sessions a;
  private Sessions b;

  @BeforeEach
  void sessions() throws Exception {
    cluster
        .get(0)
        .database()
        .transaction(c -> c.createStatement().executeUpdate("DELETE FROM sessions"));
    clock = new ManualClock(T0);
    a = cluster.get(0).sessions(clock);
    b = cluster.get(1).sessions(clock);
  }

  @Test
  void aSessionStartedOnOneProcessIsFoundAndEndedOnAnother() {
    String id = a.create("laptop", TOKEN);
    Session s = b.find(id).orElseThrow();
    assertThat(s).isEqualTo(new Session("laptop", TOKEN, T0, T0.plus(Sessions.LIFETIME)));
    b.end(id);
    assertThat(a.find(id)).isEmpty();
  }

  @Test
  void aSessionEndsAfterItsLifetime() {
    String id = a.create("laptop", TOKEN);
    clock.advance(Sessions.LIFETIME.minusSeconds(1));
    assertThat(b.find(id)).isPresent();
    clock.advance(Duration.ofSeconds(1));
    assertThat(b.find(id)).isEmpty();
  }

  @Test
  void unknownOrHostileIdsFindNothing() {
    assertThat(a.find(null)).isEmpty();
    assertThat(a.find("")).isEmpty();
    assertThat(a.find("x".repeat(10_000))).isEmpty();
    assertThat(a.find("no-such-session")).isEmpty();
    a.end("x".repeat(10_000));
  }

  @Test
  void endIfEndsTheSessionsThePredicateAccepts() {
    String laptop1 = a.create("laptop", TOKEN);
    String laptop2 = b.create("laptop", TOKEN);
    String phone = a.create("phone", TOKEN);
    assertThat(b.endIf(s -> s.device().equals("laptop"))).isEqualTo(2);
    assertThat(a.find(laptop1)).isEmpty();
    assertThat(a.find(laptop2)).isEmpty();
    assertThat(a.find(phone)).isPresent();
    assertThat(a.endIf(s -> false)).isZero();
  }

  @Test
  void atMostMaxSessionsTheOldestGoFirst() {
    PostgresSessions small = new PostgresSessions(cluster.get(0).database(), clock, 3);
    String first = small.create("d1", TOKEN);
    clock.advance(Duration.ofSeconds(1));
    String second = small.create("d2", TOKEN);
    clock.advance(Duration.ofSeconds(1));
    String third = small.create("d3", TOKEN);
    clock.advance(Duration.ofSeconds(1));
    String fourth = small.create("d4", TOKEN);
    assertThat(small.find(first)).isEmpty();
    assertThat(small.find(second)).isPresent();
    assertThat(small.find(third)).isPresent();
    assertThat(small.find(fourth)).isPresent();
  }

  @Test
  void theTableHoldsNoUsableSessionId() throws Exception {
    String id = a.create("laptop", TOKEN);
    long rowsWithId =
        cluster
            .get(0)
            .database()
            .read(
                c ->
                    io.vaultsync.server.db.Sql.number(
                        c, "SELECT count(*) FROM sessions WHERE id_hash = ?", id));
    assertThat(rowsWithId).isZero();
  }
}
