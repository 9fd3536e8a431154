package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.entry;
import static io.vaultsync.protocol.testkit.ContractData.hash;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.StaleVersionException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Stale versions: a write that names a version that is not the current one changes nothing and
 * names what is there; a batch sent twice is applied once (docs/ARCHITECTURE.md, "What is safe to
 * retry").
 */
public interface StaleVersionContract extends ProtocolFixture {
  @Test
  default void aPushAgainstAStaleBaseIsRefusedWithTheCurrentVersionAndChangesNothing()
      throws IOException {
    byte[] v1 = text("one\n");
    RemoteEntry e1 = push("n.md", v1);
    RemoteEntry e2 =
        laptop().push(VAULT, path("n.md"), e1.hash(), stream(delta(v1, text("two\n"))), LAPTOP);

    assertThatThrownBy(
            () ->
                phone()
                    .push(
                        VAULT, path("n.md"), e1.hash(), stream(delta(v1, text("three\n"))), PHONE))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(e2))
        .hasMessageContaining("n.md");
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(2);
    assertThat(phone().manifest(VAULT).entries()).containsExactly(e2);
  }

  @Test
  default void creatingAFileThatExistsIsStale() throws IOException {
    RemoteEntry a = push("a.md", "a");
    assertThatThrownBy(
            () ->
                phone()
                    .push(VAULT, path("a.md"), null, stream(delta(new byte[0], text("b"))), PHONE))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(a));
    assertThat(phone().commit(VAULT, List.of(putNew("a.md", "b")), PHONE))
        .containsExactly(new Outcome.Stale(path("a.md"), a));
  }

  @Test
  default void staleMutationsOfABatchNameWhatIsThereAndChangeNothing() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    ContentHash wrong = hash("not the version");

    List<Outcome> out =
        phone()
            .commit(
                VAULT,
                List.of(
                    new Mutation.Put(path("a.md"), wrong, delta(text("x"), text("y"))),
                    new Mutation.Delete(path("a.md"), wrong),
                    new Mutation.Delete(path("gone.md"), wrong),
                    new Mutation.Move(path("a.md"), path("c.md"), wrong),
                    new Mutation.Move(path("a.md"), path("b.md"), a.hash()),
                    new Mutation.Put(path("gone.md"), a.hash(), delta(text("alpha"), text("y")))),
                PHONE);

    assertThat(out)
        .containsExactly(
            new Outcome.Stale(path("a.md"), a),
            new Outcome.Stale(path("a.md"), a),
            new Outcome.Stale(path("gone.md"), null),
            new Outcome.Stale(path("a.md"), a),
            new Outcome.Stale(path("b.md"), b),
            new Outcome.Stale(path("gone.md"), null));
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(2);
    assertThat(phone().manifest(VAULT).entries()).containsExactly(a, b);
  }

  // ---- retried batches ----

  /**
   * A commit whose answer was lost is sent again as it was: every mutation names the version it
   * replaced, so the retry comes back stale with the version the first call made, and the ledger
   * holds each change once (docs/ARCHITECTURE.md, "What is safe to retry").
   */
  @Test
  default void aBatchSentTwiceIsAppliedOnceAndTheRetryIsStaleWithWhatTheFirstMade()
      throws IOException {
    RemoteEntry b = push("b.md", "beta");
    RemoteEntry c = push("c.md", "gamma");
    List<Mutation> batch =
        List.of(
            putNew("a.md", "alpha"),
            new Mutation.Put(path("b.md"), b.hash(), delta(text("beta"), text("beta 2"))),
            new Mutation.Move(path("c.md"), path("d.md"), c.hash()));

    List<Outcome> first = laptop().commit(VAULT, batch, LAPTOP);
    List<Outcome> retry = laptop().commit(VAULT, batch, LAPTOP);

    assertThat(first).allMatch(o -> o instanceof Outcome.Applied);
    RemoteManifest head = phone().manifest(VAULT);
    assertThat(retry)
        .containsExactly(
            new Outcome.Stale(path("a.md"), entry(head, "a.md")),
            new Outcome.Stale(path("b.md"), entry(head, "b.md")),
            new Outcome.Stale(path("c.md"), null));
    assertThat(head.headSeq()).isEqualTo(5);
    assertThat(phone().changesSince(VAULT, 0, 100).changes()).hasSize(5);
  }
}
