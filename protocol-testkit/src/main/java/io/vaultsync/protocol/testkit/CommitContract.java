package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.applied;
import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.fetch;
import static io.vaultsync.protocol.testkit.ContractData.hash;
import static io.vaultsync.protocol.testkit.ContractData.newNotes;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Commits: seqs from 1 in ledger order, consecutive within a batch, stale ones skipped; a corrupt
 * delta fails the whole batch; a push shows in the manifest, the ledger and fetch; an empty batch;
 * a batch at the limit.
 */
public interface CommitContract extends ProtocolFixture {
  @Test
  default void everyWriteGetsTheNextSeqFromOneAndTheLedgerListsThemInOrder() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    List<Outcome> batch =
        laptop().commit(VAULT, List.of(putNew("b.md", "beta"), putNew("c.md", "gamma")), LAPTOP);
    Change moved = phone().move(VAULT, path("a.md"), path("d/a.md"), a.hash(), PHONE);
    Change deleted = laptop().delete(VAULT, path("b.md"), hash("beta"), LAPTOP);

    assertThat(a.seq()).isEqualTo(1);
    assertThat(batch).extracting(o -> applied(o).seq()).containsExactly(2L, 3L);
    assertThat(moved.seq()).isEqualTo(4);
    assertThat(deleted.seq()).isEqualTo(5);
    ChangePage page = phone().changesSince(VAULT, 0, 100);
    assertThat(page.changes()).extracting(Change::seq).containsExactly(1L, 2L, 3L, 4L, 5L);
    assertThat(page.changes())
        .extracting(Change::op)
        .containsExactly(
            Change.Op.PUT, Change.Op.PUT, Change.Op.PUT, Change.Op.MOVE, Change.Op.DELETE);
    assertThat(page.changes()).extracting(Change::device).startsWith(LAPTOP, LAPTOP, LAPTOP, PHONE);
    assertThat(page.headSeq()).isEqualTo(5);
    assertThat(phone().manifest(VAULT).headSeq()).isEqualTo(5);
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value(), RemoteEntry::seq)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("c.md", 3L),
            org.assertj.core.groups.Tuple.tuple("d/a.md", 4L));
    assertThat(phone().listVaults())
        .filteredOn(v -> v.name().equals(VAULT))
        .singleElement()
        .extracting(VaultInfo::headSeq, VaultInfo::files, VaultInfo::bytes)
        .containsExactly(5L, 2L, 10L);
    assertThat(phone().root(VAULT)).isEqualTo(VaultRoot.of(phone().manifest(VAULT)));
  }

  @Test
  default void aBatchAppliesInOrderSkipsStaleOnesAndNumbersTheRestConsecutively()
      throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    List<Outcome> out =
        laptop()
            .commit(
                VAULT,
                List.of(
                    putNew("b.md", "beta"),
                    putNew("a.md", "stale: a.md exists"),
                    new Mutation.Move(path("b.md"), path("dir/b.md"), hash("beta")),
                    new Mutation.Delete(path("a.md"), a.hash())),
                LAPTOP);

    assertThat(out).hasSize(4);
    assertThat(out.get(1)).isEqualTo(new Outcome.Stale(path("a.md"), a));
    assertThat(List.of(out.get(0), out.get(2), out.get(3)))
        .extracting(o -> applied(o).seq())
        .containsExactly(2L, 3L, 4L);
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir/b.md");
  }

  @Test
  default void aBatchOfAsManyMutationsAsTheLimitAllowsIsAppliedWithConsecutiveSeqs()
      throws IOException {
    List<Mutation> batch = newNotes(io.vaultsync.protocol.Limits.COMMIT_MUTATIONS);
    assertAppliedInOrderFromOne(batch, laptop().commit(VAULT, batch, LAPTOP));
  }

  @Test
  default void aCorruptDeltaFailsTheWholeBatchAndNothingIsRecorded() throws IOException {
    byte[] bad = delta(new byte[0], text("will be corrupted\n"));
    bad[bad.length - 1] ^= 1; // the declared hash no longer matches
    List<Mutation> batch =
        List.of(putNew("ok.md", "fine"), new Mutation.Put(path("bad.md"), null, bad));

    assertThatThrownBy(() -> laptop().commit(VAULT, batch, LAPTOP))
        .isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(
            () -> laptop().push(VAULT, path("bad.md"), null, new ByteArrayInputStream(bad), LAPTOP))
        .isInstanceOf(InvalidRequestException.class);
    assertThat(phone().manifest(VAULT).entries()).isEmpty();
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isZero();
  }

  @Test
  default void pushedContentComesBackByFetchAndAppearsInTheManifestAndTheLedger()
      throws IOException {
    byte[] v1 = text("# Today\n- buy milk\n");
    RemoteEntry e = push("Daily/today.md", v1);

    assertThat(e)
        .isEqualTo(new RemoteEntry(path("Daily/today.md"), ContentHash.digestOf(v1), 19, 1));
    assertThat(fetch(phone(), e.hash(), null, new byte[0])).isEqualTo(v1);
    assertThat(phone().manifest(VAULT).entries()).containsExactly(e);
    assertThat(phone().changesSince(VAULT, 0, 10).changes())
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.op()).isEqualTo(Change.Op.PUT);
              assertThat(c.path()).isEqualTo(e.path());
              assertThat(c.hash()).isEqualTo(e.hash());
              assertThat(c.size()).isEqualTo(19);
              assertThat(c.device()).isEqualTo(LAPTOP);
              assertThat(c.time()).isEqualTo(T0);
              assertThat(c.confirmed()).isFalse();
            });
  }

  @Test
  default void anEmptyBatchChangesNothing() throws IOException {
    push("a.md", "alpha");
    assertThat(phone().commit(VAULT, List.of(), PHONE)).isEmpty();
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(1);
  }
}
