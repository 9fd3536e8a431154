package io.vaultsync.server.vault;

import static io.vaultsync.server.vault.Fixture.delta;
import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.CommitOptions;
import io.vaultsync.core.transport.MassDeleteRefusedException;
import io.vaultsync.core.transport.Mutation;
import io.vaultsync.core.transport.Outcome;
import io.vaultsync.core.tree.NotePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** ServerVaults refuses a commit that deletes more than its limits allow (defaults here). */
class ServerVaultsMassDeleteTest {
  private static final int FILES = 40;

  @TempDir Path dir;
  private Fixture f;
  private final List<Mutation> deletes = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    f = new Fixture(dir);
    f.vaults.createVault("notes");
    List<Mutation> puts = new ArrayList<>();
    for (int i = 0; i < FILES; i++) {
      byte[] content = text("note " + i);
      NotePath p = NotePath.of("n" + i + ".md");
      puts.add(new Mutation.Put(p, null, delta(new byte[0], content)));
      deletes.add(new Mutation.Delete(p, ContentHash.digestOf(content)));
    }
    f.vaults.commit("notes", puts, "laptop");
  }

  @AfterEach
  void tearDown() throws IOException {
    f.close();
  }

  @Test
  void aCommitDeletingMoreThan30PercentIsRefusedWholeAndNothingIsRecordedOrMirrored()
      throws IOException {
    List<Mutation> batch = new ArrayList<>(deletes.subList(0, 13)); // 32%
    batch.add(new Mutation.Put(NotePath.of("new.md"), null, delta(new byte[0], text("new"))));
    long head = f.vaults.changesSince("notes", 0, 1).headSeq();

    assertThatThrownBy(() -> f.vaults.commit("notes", batch, "broken-phone"))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("vault notes: 13 of 40 files (32%)")
        .hasMessageContaining("more than 200 files or more than 30%");

    assertThat(f.vaults.changesSince("notes", 0, 1).headSeq()).isEqualTo(head);
    assertThat(f.vaults.manifest("notes").entries()).hasSize(FILES);
    assertThat(Files.exists(f.file("notes", "n0.md"))).isTrue();
    assertThat(Files.exists(f.file("notes", "new.md"))).isFalse();
  }

  @Test
  void theSameCommitIsAppliedWhenTheClientAllowsMassDeletes() throws IOException {
    List<Outcome> out =
        f.vaults.commit("notes", deletes.subList(0, 13), "laptop", CommitOptions.ALLOW_MASS_DELETE);

    assertThat(out).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(f.vaults.manifest("notes").entries()).hasSize(FILES - 13);
    assertThat(Files.exists(f.file("notes", "n0.md"))).isFalse();
  }

  /**
   * A mass delete cut into small commits is caught: one device's unflagged deletes within a minute
   * count together (against the files before them); another device, or the same one a minute later,
   * starts afresh.
   */
  @Test
  void smallCommitsFromOneDeviceWithinAMinuteCountTogether() throws IOException {
    java.util.concurrent.atomic.AtomicLong millis = new java.util.concurrent.atomic.AtomicLong();
    java.time.Clock clock =
        new java.time.Clock() {
          @Override
          public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
          }

          @Override
          public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
          }

          @Override
          public java.time.Instant instant() {
            return java.time.Instant.ofEpochMilli(millis.get());
          }
        };
    f.vaults.awaitMirrored("notes");
    ServerVaults vaults =
        new ServerVaults(
            new io.vaultsync.server.ledger.SqliteLedgerStore(f.db),
            null,
            f.store,
            dir.resolve("vaults"),
            clock,
            io.vaultsync.core.transport.DeleteLimits.DEFAULTS);
    try {
      vaults.commit("notes", deletes.subList(0, 6), "phone");
      millis.addAndGet(30_000);
      assertThatThrownBy(() -> vaults.commit("notes", deletes.subList(6, 13), "phone"))
          .isInstanceOf(MassDeleteRefusedException.class)
          .hasMessageContaining("13 of 40 files (32%)");
      vaults.commit("notes", deletes.subList(6, 12), "laptop"); // another device
      millis.addAndGet(31_000); // the phone's first commit left the window
      vaults.commit("notes", deletes.subList(12, 19), "phone");
      assertThat(vaults.manifest("notes").entries()).hasSize(FILES - 19);
    } finally {
      vaults.close();
    }
  }

  @Test
  void deletesWithinTheLimitsPass() throws IOException {
    f.vaults.commit("notes", deletes.subList(0, 12), "laptop"); // 30%
    f.vaults.commit("notes", deletes.subList(12, 21), "phone"); // 9: below the floor
    assertThat(f.vaults.manifest("notes").entries()).hasSize(FILES - 21);
  }
}
