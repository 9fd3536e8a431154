package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.fetch;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultRoot;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** History and restore, the vault at a seq or a time, and snapshots. */
public interface HistoryContract extends ProtocolFixture {
  @Test
  default void theHistoryOfAPathListsItsVersionsNewestFirstWithDeletesAndTheMoveAway()
      throws IOException {
    RemoteEntry v1 = push("n.md", "one");
    RemoteEntry v2 =
        laptop()
            .push(VAULT, path("n.md"), v1.hash(), stream(delta(text("one"), text("two"))), LAPTOP);
    push("other.md", "other");
    Change moved = laptop().move(VAULT, path("n.md"), path("m.md"), v2.hash(), LAPTOP);
    RemoteEntry v3 = push("n.md", "three");
    Change deleted = laptop().delete(VAULT, path("n.md"), v3.hash(), LAPTOP);

    List<Change> history = phone().history(VAULT, path("n.md"), Long.MAX_VALUE, 100);
    assertThat(history)
        .extracting(Change::seq, Change::op)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(6L, Change.Op.DELETE),
            org.assertj.core.groups.Tuple.tuple(5L, Change.Op.PUT),
            org.assertj.core.groups.Tuple.tuple(4L, Change.Op.MOVE),
            org.assertj.core.groups.Tuple.tuple(2L, Change.Op.PUT),
            org.assertj.core.groups.Tuple.tuple(1L, Change.Op.PUT));
    assertThat(history.get(0)).isEqualTo(deleted);
    assertThat(history.get(2)).isEqualTo(moved);
    assertThat(phone().history(VAULT, path("n.md"), 5, 2))
        .extracting(Change::seq)
        .containsExactly(4L, 2L);
    assertThat(phone().history(VAULT, null, Long.MAX_VALUE, 3))
        .extracting(Change::seq)
        .containsExactly(6L, 5L, 4L);
    assertThat(phone().history(VAULT, path("never.md"), Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  default void theVaultAtASeqIsWhatItWasRightAfterIt() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    laptop().move(VAULT, a.path(), path("c.md"), a.hash(), LAPTOP);
    laptop().delete(VAULT, b.path(), b.hash(), LAPTOP);

    assertThat(phone().manifestAt(VAULT, 0)).isEqualTo(new RemoteManifest(0, List.of()));
    assertThat(phone().manifestAt(VAULT, 2)).isEqualTo(new RemoteManifest(2, List.of(a, b)));
    assertThat(phone().manifestAt(VAULT, 3))
        .isEqualTo(
            new RemoteManifest(3, List.of(b, new RemoteEntry(path("c.md"), a.hash(), 5, 3))));
    assertThat(phone().manifestAt(VAULT, 99)).isEqualTo(phone().manifest(VAULT));
    assertThat(phone().manifestAt(VAULT, 99).headSeq()).isEqualTo(4);
  }

  @Test
  default void theSeqAtATimeIsTheLastOneRecordedAtOrBeforeIt() throws IOException {
    push("a.md", "alpha");
    advance(Duration.ofMinutes(10));
    push("b.md", "beta");
    push("c.md", "gamma");

    assertThat(phone().seqAt(VAULT, T0.minusSeconds(1))).isZero();
    assertThat(phone().seqAt(VAULT, T0)).isEqualTo(1);
    assertThat(phone().seqAt(VAULT, T0.plus(Duration.ofMinutes(5)))).isEqualTo(1);
    assertThat(phone().seqAt(VAULT, T0.plus(Duration.ofMinutes(10)))).isEqualTo(3);
    assertThat(phone().seqAt(VAULT, T0.plus(Duration.ofDays(1)))).isEqualTo(3);
  }

  /**
   * A restore is an ordinary write of an old version's content: found by history, fetched by hash,
   * pushed against the current version (or as a new file when it was deleted).
   */
  @Test
  default void anOldVersionAndADeletedFileCanBeRestoredFromTheHistory() throws IOException {
    RemoteEntry v1 = push("n.md", "first words");
    laptop()
        .push(
            VAULT,
            path("n.md"),
            v1.hash(),
            stream(delta(text("first words"), text("new words"))),
            LAPTOP);
    RemoteEntry gone = push("gone.md", "deleted words");
    laptop().delete(VAULT, gone.path(), gone.hash(), LAPTOP);

    Change old = phone().history(VAULT, path("n.md"), Long.MAX_VALUE, 10).get(1);
    byte[] oldBytes = fetch(phone(), old.hash(), null, new byte[0]);
    RemoteEntry restored =
        phone()
            .push(
                VAULT,
                path("n.md"),
                phone().manifest(VAULT).entries().get(0).hash(),
                stream(delta(text("new words"), oldBytes)),
                PHONE);
    Change deleted = phone().history(VAULT, path("gone.md"), Long.MAX_VALUE, 1).get(0);
    RemoteEntry back =
        phone()
            .push(
                VAULT,
                path("gone.md"),
                null,
                stream(delta(new byte[0], fetch(phone(), deleted.hash(), null, new byte[0]))),
                PHONE);

    assertThat(restored.hash()).isEqualTo(v1.hash());
    assertThat(back.hash()).isEqualTo(gone.hash());
    assertThat(laptop().manifest(VAULT).entries()).containsExactly(back, restored);
  }

  // ---- snapshots ----

  @Test
  default void aSnapshotKeepsTheVaultAtItsSeq() throws IOException {
    assertThatThrownBy(() -> laptop().snapshot(VAULT, false)).isInstanceOf(NotFoundException.class);
    RemoteEntry a = push("a.md", "a");
    RemoteEntry b = push("b.md", "b");
    SnapshotInfo snap = laptop().snapshot(VAULT, true);
    assertThat(snap.asRoot()).isEqualTo(VaultRoot.of(new RemoteManifest(2, List.of(a, b))));
    assertThat(laptop().snapshot(VAULT, true).seq()).as("already at the head").isEqualTo(2);

    laptop().delete(VAULT, a.path(), a.hash(), LAPTOP);
    assertThat(phone().snapshotManifest(VAULT, 2)).isEqualTo(new RemoteManifest(2, List.of(a, b)));
    assertThat(phone().snapshot(VAULT, false).seq()).isEqualTo(2);
    assertThatThrownBy(() -> phone().snapshotManifest(VAULT, 1))
        .isInstanceOf(NotFoundException.class);
    assertThat(phone().snapshot(VAULT, true).seq()).isEqualTo(3);
  }
}
