package io.vaultsync.protocol.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Ledger compaction ({@link Backend#compact}: an operator's, no protocol call compacts): change
 * pages say when a client is behind the horizon, the client catches up from the snapshot the
 * horizon never passes, the version history stays whole, and a subscription from behind the horizon
 * is told of the gap.
 */
public interface CompactionContract extends ProtocolFixture {
  @Test
  default void aClientBehindTheHorizonIsToldSoAndCatchesUpFromTheSnapshot() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    RemoteEntry c = push("c.md", "gamma");
    SnapshotInfo snap = laptop().snapshot(VAULT, true);
    RemoteEntry d = push("d.md", "delta");
    Change deleted = laptop().delete(VAULT, a.path(), a.hash(), LAPTOP);

    assertThat(backend().compact(VAULT)).isEqualTo(3);

    ChangePage behind = phone().changesSince(VAULT, 1, 10);
    assertThat(behind.changes()).isEmpty();
    assertThat(behind.compactedAfter(1)).isTrue();
    assertThat(behind.horizonSeq()).isEqualTo(3);
    assertThat(behind.headSeq()).isEqualTo(5);
    ChangePage tail = phone().changesSince(VAULT, snap.seq(), 10);
    assertThat(tail.compactedAfter(snap.seq())).isFalse();
    assertThat(tail.changes()).extracting(Change::seq).containsExactly(4L, 5L);
    assertThat(tail.changes().get(1)).isEqualTo(deleted);
    assertThat(phone().snapshotManifest(VAULT, snap.seq()))
        .isEqualTo(new RemoteManifest(3, List.of(a, b, c)));
    assertThat(phone().manifest(VAULT)).isEqualTo(new RemoteManifest(5, List.of(b, c, d)));
    assertThat(phone().history(VAULT, null, Long.MAX_VALUE, 10))
        .as("the version history outlives the ledger")
        .extracting(Change::seq)
        .containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(phone().manifestAt(VAULT, 2)).isEqualTo(new RemoteManifest(2, List.of(a, b)));
  }

  @Test
  default void withoutASnapshotNothingIsCompacted() throws IOException {
    push("a.md", "alpha");
    push("b.md", "beta");
    assertThat(backend().compact(VAULT)).isZero();
    ChangePage all = phone().changesSince(VAULT, 0, 10);
    assertThat(all.compactedAfter(0)).isFalse();
    assertThat(all.changes()).extracting(Change::seq).containsExactly(1L, 2L);
  }

  @Test
  default void aSubscriptionFromBehindTheHorizonIsToldOfTheGapAndOneFromItIsNot()
      throws IOException {
    push("a.md", "alpha");
    push("b.md", "beta");
    laptop().snapshot(VAULT, true);
    push("c.md", "gamma");
    assertThat(backend().compact(VAULT)).isEqualTo(2);

    ChangeRecorder behind = new ChangeRecorder(1);
    ChangeRecorder atHorizon = new ChangeRecorder(2);
    try (Subscription s1 = phone().subscribe(VAULT, 1, behind);
        Subscription s2 = phone().subscribe(VAULT, 2, atHorizon)) {
      push("d.md", "delta");
      await().atMost(Duration.ofSeconds(30)).until(() -> behind.closed.get() != null);
      assertThat(behind.closed.get()).isInstanceOf(FeedGapException.class);
      assertThat(((FeedGapException) behind.closed.get()).afterSeq()).isEqualTo(1);
      assertThat(behind.seqs).isEmpty();
      await().atMost(Duration.ofSeconds(30)).until(() -> atHorizon.last() == 4);
      assertThat(atHorizon.error.get()).isNull();
      assertThat(atHorizon.seqs).containsExactly(3L, 4L);
    }
  }
}
