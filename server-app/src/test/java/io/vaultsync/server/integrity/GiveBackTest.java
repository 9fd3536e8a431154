package io.vaultsync.server.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.server.TestDeltas;
import io.vaultsync.server.app.ServerData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's side of healing: change pages of a vault list the wanted content its head names (and
 * only its own), a device gives it back, and the server stores only the right bytes of content it
 * wants.
 */
class GiveBackTest {
  @TempDir Path tmp;

  private static ContentHash n1() {
    return DataFolder.hash(DataFolder.FIRST.get("n1.md"));
  }

  /** A folder whose first pack is gone with its master copies: n1..n3 are wanted. */
  private DataFolder lost() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    Files.delete(f.pack(0));
    f.loseMasterCopies();
    return f;
  }

  /** Device "desk" gives {@code content} back as n1.md's lost content. */
  private static boolean giveBackAsN1(ServerData data, byte[] content) throws IOException {
    return data.vaults()
        .giveBack(
            DataFolder.VAULT, n1(), new ByteArrayInputStream(TestDeltas.delta(content)), "desk");
  }

  /** Device "desk" creates vault "other" and commits {@code text} to {@code path} there. */
  private static void commitToOtherVault(ServerData data, String path, String text)
      throws IOException {
    data.vaults().createVault("other");
    data.vaults()
        .commit(
            "other",
            List.of(
                new Mutation.Put(
                    NotePath.of(path), null, TestDeltas.delta(DataFolder.bytes(text)))),
            "desk");
  }

  @Test
  void changePagesOfTheVaultListWhatItsHeadLacksAndOtherVaultsNothing() throws Exception {
    DataFolder f = lost();
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      commitToOtherVault(data, "x.md", "x\n");
      assertThat(data.vaults().changesSince(DataFolder.VAULT, 0, 10).wanted())
          .containsExactlyInAnyOrderElementsOf(
              DataFolder.FIRST.values().stream().map(DataFolder::hash).toList());
      assertThat(data.vaults().changesSince(DataFolder.VAULT, 6, 10).wanted()).hasSize(3);
      assertThat(data.vaults().changesSince("other", 0, 10).wanted()).isEmpty();
    }
  }

  @Test
  void theRightBytesAreStoredAndNoLongerWantedAndWrongOrOversizedOnesAreRefused() throws Exception {
    DataFolder f = lost();
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      byte[] wrong = DataFolder.bytes("not the note\n");
      assertThatThrownBy(() -> giveBackAsN1(data, wrong))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining(n1().hex());
      byte[] huge = new byte[1 << 20];
      assertThatThrownBy(() -> giveBackAsN1(data, huge))
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("has more than its");
      assertThat(data.store().has(ContentHash.digestOf(wrong))).isFalse();

      byte[] right = DataFolder.bytes(DataFolder.FIRST.get("n1.md"));
      assertThat(giveBackAsN1(data, right)).isTrue();
      assertThat(data.wanted().contains(n1())).isFalse();
      assertThat(data.vaults().changesSince(DataFolder.VAULT, 0, 10).wanted())
          .hasSize(2)
          .doesNotContain(n1());
      assertThat(DataFolder.fetchAll(data).get("n1.md")).isEqualTo(DataFolder.FIRST.get("n1.md"));
      assertThat(giveBackAsN1(data, right)).as("not wanted any more").isFalse();
    }
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(data.wanted().hashes()).hasSize(2).doesNotContain(n1());
      assertThat(DataFolder.fetchAll(data).get("n1.md")).isEqualTo(DataFolder.FIRST.get("n1.md"));
    }
  }

  @Test
  void contentCommittedAgainByAnyDeviceIsNoLongerWanted() throws Exception {
    DataFolder f = lost();
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      commitToOtherVault(data, "copy.md", DataFolder.FIRST.get("n1.md"));
      assertThat(data.wanted().contains(n1())).isFalse();
      assertThat(DataFolder.fetchAll(data).get("n1.md")).isEqualTo(DataFolder.FIRST.get("n1.md"));
    }
  }
}
