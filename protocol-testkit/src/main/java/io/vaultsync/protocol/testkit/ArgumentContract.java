package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.newNotes;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/**
 * Bad arguments: every implementation refuses them with the protocol's {@link
 * InvalidRequestException} naming the bad value, whether the remote is in this process or across a
 * wire, and changes nothing. (A bad path cannot be sent: {@link io.vaultsync.model.tree.NotePath}
 * holds only canonical ones; the wire's refusal of one is transport-grpc's tests'.)
 */
public interface ArgumentContract extends ProtocolFixture {
  @Test
  default void negativeSeqsAndLimitsOutOfRangeAreInvalidRequestsNamingTheValue()
      throws IOException {
    push("a.md", "alpha");
    ChangeRecorder r = new ChangeRecorder(0);
    Map<String, ThrowingCallable> calls =
        Map.of(
            "after seq -1",
            () -> phone().changesSince(VAULT, -1, 10),
            "limit 0",
            () -> phone().changesSince(VAULT, 0, 0),
            "subscribe after seq -2",
            () -> phone().subscribe(VAULT, -2, r).close(),
            "manifest at seq -3",
            () -> phone().manifestAt(VAULT, -3),
            "snapshot seq -4",
            () -> phone().snapshotManifest(VAULT, -4),
            "before seq 0",
            () -> phone().history(VAULT, null, 0, 10),
            "limit 0;",
            () -> phone().history(VAULT, path("a.md"), Long.MAX_VALUE, 0),
            "limit " + (Limits.HISTORY_VERSIONS + 1),
            () -> phone().history(VAULT, null, Long.MAX_VALUE, Limits.HISTORY_VERSIONS + 1));
    calls.forEach(
        (value, call) ->
            assertThatThrownBy(call)
                .as(value)
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageContaining(value));
    assertThat(r.seqs).isEmpty();
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(1);
  }

  /**
   * A batch of more mutations than {@link Limits#COMMIT_MUTATIONS} is refused whole by a remote
   * (nothing recorded), or sent by a transport that frames its calls as several commits of at most
   * that many (then every mutation is applied, in order, with consecutive seqs). Never partly
   * applied and partly lost.
   */
  @Test
  default void aBatchOverTheLimitIsRefusedWholeOrAppliedWholeInOrder() throws IOException {
    List<Mutation> batch = newNotes(Limits.COMMIT_MUTATIONS + 1);
    List<Outcome> out;
    try {
      out = laptop().commit(VAULT, batch, LAPTOP);
    } catch (InvalidRequestException refused) {
      assertThat(refused).hasMessageContaining(String.valueOf(batch.size()));
      assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isZero();
      assertThat(phone().manifest(VAULT).entries()).isEmpty();
      return;
    }
    assertAppliedInOrderFromOne(batch, out);
  }

  @Test
  default void aShareThatExpiresNowOrInThePastIsAnInvalidRequest() throws IOException {
    push("a.md", "alpha");
    for (var expires : List.of(T0, T0.minusSeconds(3600))) {
      assertThatThrownBy(() -> laptop().createShare(VAULT, path("a.md"), expires, null, LAPTOP))
          .as("expiring %s", expires)
          .isInstanceOf(InvalidRequestException.class);
    }
    assertThat(phone().listShares(VAULT)).isEmpty();
  }
}
