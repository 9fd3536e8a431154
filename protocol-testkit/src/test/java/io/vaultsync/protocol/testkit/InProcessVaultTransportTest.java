package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultRoot;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What only the in-memory reference does: its Merkle root at the head, and compaction up to a given
 * seq, which must not pass the oldest snapshot. What the protocol promises (compaction up to the
 * oldest snapshot included, {@link CompactionContract}) is {@link VaultProtocolContract}'s, which
 * runs against it in {@link InProcessProtocolContractTest}.
 */
class InProcessVaultTransportTest {
  private InProcessVaultTransport remote;

  @BeforeEach
  void setUp() throws IOException {
    remote = new InProcessVaultTransport();
    remote.createVault("notes");
  }

  private RemoteEntry put(String path, String content) throws IOException {
    return remote.push(
        "notes", path(path), null, stream(delta(new byte[0], text(content))), "laptop");
  }

  @Test
  void rootAtHeadIsTheMerkleRootOfTheManifest() throws IOException {
    put("a.md", "a");
    put("b.md", "b");
    VaultRoot root = remote.root("notes");
    assertThat(root.seq()).isEqualTo(2);
    assertThat(root.files()).isEqualTo(2);
    assertThat(root.bytes()).isEqualTo(2);
    assertThat(root).isEqualTo(VaultRoot.of(remote.manifest("notes")));
    assertThat(remote.root("notes").root())
        .isEqualTo(
            io.vaultsync.model.tree.MerkleTree.rootOf(
                io.vaultsync.model.tree.Manifest.of(
                    List.of(
                        new io.vaultsync.model.tree.ManifestEntry(
                            NotePath.of("a.md"), 1, 0, ContentHash.digestOf(text("a"))),
                        new io.vaultsync.model.tree.ManifestEntry(
                            NotePath.of("b.md"), 1, 0, ContentHash.digestOf(text("b")))))));
  }

  @Test
  void snapshotKeepsTheManifestAtItsSeqAndCompactionStopsAtTheOldestSnapshot() throws IOException {
    assertThatThrownBy(() -> remote.snapshot("notes", false)).isInstanceOf(NotFoundException.class);
    RemoteEntry a = put("a.md", "a");
    put("b.md", "b");
    SnapshotInfo snap = remote.snapshot("notes", true);
    assertThat(snap.seq()).isEqualTo(2);
    assertThat(remote.snapshot("notes", true)).as("already at head").isEqualTo(snap);
    remote.delete("notes", a.path(), a.hash(), "laptop");
    assertThat(remote.snapshotManifest("notes", 2).entries()).hasSize(2);
    assertThat(remote.snapshot("notes", false)).isEqualTo(snap);

    assertThatThrownBy(() -> remote.compact("notes", 3))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("up to seq 3")
        .hasMessageContaining("oldest snapshot's seq 2");
    assertThat(remote.compact("notes", 2)).isEqualTo(2);

    ChangePage behind = remote.changesSince("notes", 1, 10);
    assertThat(behind.changes()).isEmpty();
    assertThat(behind.compactedAfter(1)).isTrue();
    assertThat(behind.horizonSeq()).isEqualTo(2);
    ChangePage tail = remote.changesSince("notes", 2, 10);
    assertThat(tail.compactedAfter(2)).isFalse();
    assertThat(tail.changes()).singleElement().extracting(Change::seq).isEqualTo(3L);
    assertThat(remote.listVaults().get(0).headSeq()).isEqualTo(3);
  }
}
