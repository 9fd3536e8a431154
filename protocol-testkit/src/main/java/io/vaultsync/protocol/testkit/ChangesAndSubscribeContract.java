package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static io.vaultsync.protocol.testkit.ContractData.seqs;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Changes since N (pages) and subscriptions from N (backlog, then each change once, in order, no
 * gap).
 */
public interface ChangesAndSubscribeContract extends ProtocolFixture {
  @Test
  default void changesArePagedInSeqOrderAtMostTheLimitAPage() throws IOException {
    byte[] prev = new byte[0];
    ContentHash base = null;
    for (int i = 0; i < 7; i++) {
      byte[] next = text("version " + i + "\n");
      base = laptop().push(VAULT, path("n.md"), base, stream(delta(prev, next)), LAPTOP).hash();
      prev = next;
    }

    ChangePage first = phone().changesSince(VAULT, 0, 3);
    assertThat(first.changes()).extracting(Change::seq).containsExactly(1L, 2L, 3L);
    assertThat(first.headSeq()).isEqualTo(7);
    assertThat(first.hasMore()).isTrue();
    assertThat(phone().changesSince(VAULT, 3, 3).changes())
        .extracting(Change::seq)
        .containsExactly(4L, 5L, 6L);
    ChangePage last = phone().changesSince(VAULT, 6, 3);
    assertThat(last.changes()).extracting(Change::seq).containsExactly(7L);
    assertThat(last.hasMore()).isFalse();
    ChangePage none = phone().changesSince(VAULT, 7, 3);
    assertThat(none.changes()).isEmpty();
    assertThat(none.headSeq()).isEqualTo(7);
    assertThat(none.horizonSeq()).isZero();
    assertThat(none.wanted()).isEmpty();
  }

  /**
   * A subscription to an unknown vault is NOT_FOUND: thrown by {@code subscribe}, or, from a
   * transport that learns it only from the remote's answer (gRPC's server stream), told to the
   * listener's {@code onClosed}.
   */
  @Test
  default void aSubscriptionToAnUnknownVaultIsNotFound() throws IOException {
    ChangeRecorder r = new ChangeRecorder(0);
    Subscription s;
    try {
      s = laptop().subscribe("nope", 0, r);
    } catch (NotFoundException e) {
      assertThat(e).hasMessageContaining("nope");
      return;
    }
    try {
      await().atMost(Duration.ofSeconds(30)).until(() -> r.closed.get() != null);
      assertThat(r.closed.get()).isInstanceOf(NotFoundException.class).hasMessageContaining("nope");
      assertThat(r.seqs).isEmpty();
    } finally {
      s.close();
    }
  }

  @Test
  default void aSubscriptionFromNGetsTheBacklogThenEachNewChangeOnceInOrder() throws IOException {
    for (int i = 0; i < 5; i++) {
      push("n" + i + ".md", "note " + i);
    }
    ChangeRecorder r = new ChangeRecorder(2);
    try (Subscription s = phone().subscribe(VAULT, 2, r)) {
      for (int i = 5; i < 10; i++) {
        push("n" + i + ".md", "note " + i);
      }
      laptop().commit(VAULT, List.of(putNew("a.md", "a"), putNew("b.md", "b")), LAPTOP);
      await().atMost(Duration.ofSeconds(30)).until(() -> r.last() == 12);
      assertThat(r.error.get()).isNull();
      assertThat(r.seqs).containsExactlyElementsOf(seqs(3, 12));
      assertThat(r.changes.get(r.changes.size() - 1).path()).isEqualTo(path("b.md"));
    }
  }

  /**
   * Changes committed while clients subscribe (from several points, some before the commits start,
   * some during them) reach each subscription exactly once, in order, with no gap.
   */
  @Test
  default void changesCommittedWhileSubscribingArriveWithNoGapAndNoDuplicate() throws Exception {
    int total = 60;
    List<ChangeRecorder> recorders = new CopyOnWriteArrayList<>();
    List<Subscription> subs = new CopyOnWriteArrayList<>();
    AtomicReference<Throwable> writerFailed = new AtomicReference<>();
    Thread writer =
        new Thread(
            () -> {
              try {
                for (int i = 0; i < total; i++) {
                  laptop().commit(VAULT, List.of(putNew("w" + i + ".md", "w" + i)), LAPTOP);
                }
              } catch (Throwable t) {
                writerFailed.set(t);
              }
            },
            "contract-writer");
    try {
      recorders.add(new ChangeRecorder(0));
      subs.add(phone().subscribe(VAULT, 0, recorders.get(0)));
      writer.start();
      for (int i = 0; i < 6; i++) {
        long from = phone().changesSince(VAULT, 0, 1).headSeq();
        ChangeRecorder r = new ChangeRecorder(from);
        recorders.add(r);
        subs.add(phone().subscribe(VAULT, from, r));
      }
      writer.join(TimeUnit.SECONDS.toMillis(60));
      assertThat(writerFailed.get()).isNull();
      for (ChangeRecorder r : recorders) {
        await().atMost(Duration.ofSeconds(30)).until(() -> r.last() == total);
        assertThat(r.error.get()).isNull();
        assertThat(r.seqs).containsExactlyElementsOf(seqs(r.after + 1, total));
      }
    } finally {
      for (Subscription s : subs) {
        s.close();
      }
    }
  }
}
