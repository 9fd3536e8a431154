package io.vaultsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class InProcessMassDeleteTest {
  private InProcessVaultTransport remote;
  private final List<ContentHash> hashes = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    remote = new InProcessVaultTransport(Clock.systemUTC(), DeleteLimits.DEFAULTS);
    remote.createVault("notes");
    List<Mutation> puts = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      byte[] content = ("note " + i).getBytes(StandardCharsets.UTF_8);
      hashes.add(ContentHash.digestOf(content));
      puts.add(
          new Mutation.Put(path(i), null, InProcessVaultTransportTest.delta(new byte[0], content)));
    }
    remote.commit("notes", puts, "laptop");
  }

  private static NotePath path(int i) {
    return NotePath.of("n" + i + ".md");
  }

  private List<Mutation> deletes(int n) {
    List<Mutation> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new Mutation.Delete(path(i), hashes.get(i)));
    }
    return out;
  }

  @Test
  void aCommitDeletingMoreThanTheLimitsIsRefusedWholeAndChangesNothing() throws IOException {
    assertThatThrownBy(() -> remote.commit("notes", deletes(10), "laptop"))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("10 of 20 files (50%)")
        .hasMessageContaining("--allow-mass-delete");
    assertThat(remote.manifest("notes").entries()).hasSize(20);
  }

  @Test
  void theSameCommitGoesThroughWhenMassDeletesAreAllowed() throws IOException {
    List<Outcome> out =
        remote.commit("notes", deletes(10), "laptop", CommitOptions.ALLOW_MASS_DELETE);
    assertThat(out).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(remote.manifest("notes").entries()).hasSize(10);
    assertThat(remote.changesSince("notes", 20, 100).changes())
        .hasSize(10)
        .allMatch(Change::confirmed);
  }

  @Test
  void deletesCommittedWithoutThePermissionAreNotConfirmed() throws IOException {
    remote.commit("notes", deletes(2), "laptop");
    assertThat(remote.changesSince("notes", 20, 100).changes()).noneMatch(Change::confirmed);
  }

  @Test
  void ordinaryDeletesBelowTheFloorPass() throws IOException {
    remote.commit("notes", deletes(9), "laptop");
    assertThat(remote.manifest("notes").entries()).hasSize(11);
  }

  /**
   * As on a server ({@code CommitRules}): one device's deletes of the last minute count together.
   */
  @Test
  void aMassDeleteCutIntoSmallCommitsByOneDeviceIsRefusedAsOnAServer() throws IOException {
    List<Mutation> all = deletes(12);
    remote.commit("notes", all.subList(0, 6), "laptop");
    remote.commit("notes", all.subList(6, 8), "phone");

    assertThatThrownBy(() -> remote.commit("notes", all.subList(8, 12), "laptop"))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("10 of 18 files");
    assertThat(remote.manifest("notes").entries()).hasSize(12);
  }
}
