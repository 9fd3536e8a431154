package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The remote view a client behind the compacted horizon builds: snapshot plus ledger tail. */
class RemoteViewFromSnapshotTest {
  static final ContentHash H1 = ContentHash.digestOf(new byte[] {1});
  static final ContentHash H2 = ContentHash.digestOf(new byte[] {2});
  static final ContentHash H3 = ContentHash.digestOf(new byte[] {3});
  static final ContentHash H4 = ContentHash.digestOf(new byte[] {4});

  static NotePath p(String s) {
    return NotePath.of(s);
  }

  /** Index at seq 5 with a.md=H1, b.md=H2; snapshot at 8: a.md=H1, c.md=H3; tail: 9 a.md=H4. */
  static RemoteView view() {
    LocalIndex index =
        new LocalIndex(
            5,
            List.of(
                new IndexEntry(p("a.md"), 1, 0, H1, null),
                new IndexEntry(p("b.md"), 1, 0, H2, null)));
    RemoteManifest snap =
        new RemoteManifest(
            8, List.of(new RemoteEntry(p("a.md"), H1, 1, 1), new RemoteEntry(p("c.md"), H3, 1, 7)));
    Change tail = new Change(9, Change.Op.PUT, p("a.md"), null, H4, 1, "B", Instant.EPOCH);
    return RemoteView.fromSnapshot(index, snap, List.of(tail), 9);
  }

  @Test
  void snapshotWithTheTailFoldedOverItIsTheHead() {
    RemoteView v = view();
    assertThat(v.headSeq()).isEqualTo(9);
    assertThat(v.files().keySet()).containsExactly(p("a.md"), p("c.md"));
    assertThat(v.get(p("a.md")).hash()).isEqualTo(H4);
    assertThat(v.get(p("b.md"))).as("deleted in the compacted gap").isNull();
  }

  @Test
  void skippingAPathChangedInTheGapKeepsTheOldSeqAndOneChangedInTheTailStopsBeforeIt() {
    RemoteView v = view();
    assertThat(v.safeSeq(List.of(p("b.md")))).as("deleted in the gap").isEqualTo(5);
    assertThat(v.safeSeq(List.of(p("c.md")))).as("added in the gap").isEqualTo(5);
    assertThat(v.safeSeq(List.of(p("a.md")))).as("changed only in the tail").isEqualTo(8);
    assertThat(v.safeSeq(List.of(p("z.md")))).as("untouched").isEqualTo(9);
  }

  @Test
  void snapshotOlderThanTheIndexIsRefused() {
    LocalIndex index = new LocalIndex(10, List.of());
    assertThatThrownBy(
            () -> RemoteView.fromSnapshot(index, new RemoteManifest(8, List.of()), List.of(), 8))
        .hasMessageContaining("snapshot at seq 8 is older than the index's seq 10");
  }
}
