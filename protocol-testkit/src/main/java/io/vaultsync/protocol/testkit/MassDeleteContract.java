package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.hash;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mass deletes and the delete window ({@link io.vaultsync.protocol.DeleteLimits}): refused whole,
 * applied and confirmed when allowed, and one device's deletes within the window count together.
 */
public interface MassDeleteContract extends ProtocolFixture {
  /** {@code n} files n0.md, n1.md, ... in one commit; returns their deletes. */
  private List<Mutation> files(int n) throws IOException {
    List<Mutation> puts = new ArrayList<>();
    List<Mutation> deletes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      puts.add(putNew("n" + i + ".md", "note " + i));
      deletes.add(new Mutation.Delete(path("n" + i + ".md"), hash("note " + i)));
    }
    assertThat(laptop().commit(VAULT, puts, LAPTOP)).allMatch(o -> o instanceof Outcome.Applied);
    return deletes;
  }

  @Test
  default void aCommitDeletingMoreThanTheLimitsIsRefusedWholeAndChangesNothing()
      throws IOException {
    List<Mutation> deletes = files(40);
    List<Mutation> batch = new ArrayList<>(deletes.subList(0, 13)); // 32%
    batch.add(putNew("new.md", "new"));

    assertThatThrownBy(() -> phone().commit(VAULT, batch, PHONE))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("13 of 40 files (32%)")
        .hasMessageContaining("more than 30% of the vault's files (from 10 deletes on)");
    assertThat(phone().changesSince(VAULT, 0, 1).headSeq()).isEqualTo(40);
    assertThat(phone().manifest(VAULT).entries()).hasSize(40);
  }

  @Test
  default void theSameCommitIsAppliedAndRecordedAsConfirmedWhenMassDeletesAreAllowed()
      throws IOException {
    List<Mutation> deletes = files(40);
    List<Outcome> out =
        phone().commit(VAULT, deletes.subList(0, 13), PHONE, CommitOptions.ALLOW_MASS_DELETE);

    assertThat(out).hasSize(13).allMatch(o -> o instanceof Outcome.Applied);
    assertThat(laptop().manifest(VAULT).entries()).hasSize(27);
    assertThat(laptop().changesSince(VAULT, 40, 100).changes())
        .hasSize(13)
        .allMatch(Change::confirmed);
  }

  @Test
  default void deletesWithinTheLimitsPassAndAreNotConfirmed() throws IOException {
    List<Mutation> deletes = files(40);
    laptop().commit(VAULT, deletes.subList(0, 12), LAPTOP); // 30%
    phone().commit(VAULT, deletes.subList(12, 21), PHONE); // 9: below the floor
    assertThat(laptop().manifest(VAULT).entries()).hasSize(19);
    assertThat(laptop().changesSince(VAULT, 40, 100).changes())
        .hasSize(21)
        .noneMatch(Change::confirmed);
  }

  /**
   * A mass delete cut into small commits is caught: one device's deletes committed without the
   * permission within a minute count together (against the files before them); another device, or
   * the same one a minute later, starts afresh.
   */
  @Test
  default void oneDevicesDeletesWithinTheDeleteWindowCountTogether() throws IOException {
    List<Mutation> deletes = files(40);
    phone().commit(VAULT, deletes.subList(0, 6), PHONE);
    advance(Duration.ofSeconds(30));
    assertThatThrownBy(() -> phone().commit(VAULT, deletes.subList(6, 13), PHONE))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("13 of 40 files (32%)");
    laptop().commit(VAULT, deletes.subList(6, 12), LAPTOP); // another device
    advance(Duration.ofSeconds(31)); // the phone's first commit left the window
    assertThat(phone().commit(VAULT, deletes.subList(12, 19), PHONE))
        .allMatch(o -> o instanceof Outcome.Applied);
    assertThat(laptop().manifest(VAULT).entries()).hasSize(40 - 19);
  }
}
