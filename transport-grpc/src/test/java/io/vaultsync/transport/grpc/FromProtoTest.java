package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.transport.grpc.v1.ChangeOp;
import io.vaultsync.transport.grpc.v1.Put;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Every value survives ToProto then FromProto; hostile fields fail naming the value. */
class FromProtoTest {
  static final ContentHash H = ContentHash.digestOf("x".getBytes());

  @Test
  void valuesRoundTrip() {
    RemoteEntry entry = new RemoteEntry(NotePath.of("Daily/2026-11-26.md"), H, 12, 3);
    Change move =
        new Change(
            4,
            Change.Op.MOVE,
            NotePath.of("b.md"),
            NotePath.of("a.md"),
            H,
            12,
            "laptop",
            Instant.ofEpochMilli(1_700_000_000_123L));
    VaultInfo info = new VaultInfo("notes", 1, 12, 4, null);
    Mutation put = new Mutation.Put(NotePath.of("a.md"), null, new byte[] {1, 2, 3});
    Mutation del = new Mutation.Delete(NotePath.of("a.md"), H);
    Outcome stale = new Outcome.Stale(NotePath.of("a.md"), null);

    assertThat(FromProto.entry(ToProto.entry(entry))).isEqualTo(entry);
    assertThat(FromProto.change(ToProto.change(move))).isEqualTo(move);
    Change confirmed =
        new Change(
            5, Change.Op.DELETE, NotePath.of("c.md"), null, H, 1, "laptop", Instant.EPOCH, true);
    assertThat(FromProto.change(ToProto.change(confirmed))).isEqualTo(confirmed);
    assertThatThrownBy(
            () ->
                FromProto.change(
                    ToProto.change(move).toBuilder().setPath("b.md").setConfirmed(true).build()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("only a DELETE");
    assertThat(FromProto.vaultInfo(ToProto.vaultInfo(info))).isEqualTo(info);
    assertThat(FromProto.mutation(ToProto.mutation(put))).isEqualTo(put);
    assertThat(FromProto.mutation(ToProto.mutation(del))).isEqualTo(del);
    assertThat(FromProto.outcome(ToProto.outcome(stale))).isEqualTo(stale);
    Outcome refused = new Outcome.Refused(NotePath.of("dir1/c.md"), "\"dir1\" is a file");
    assertThat(FromProto.outcome(ToProto.outcome(refused))).isEqualTo(refused);
  }

  /** A refusal's reason from the remote is bounded and one line; an empty one is refused. */
  @Test
  void refusedReasonsAreBoundedAndOneLine() {
    assertThat(FromProto.reason("a\nb\u0000c")).isEqualTo("a b c");
    assertThat(FromProto.reason("x".repeat(5000))).hasSize(FromProto.MAX_REASON_CHARS + 3);
    var empty =
        io.vaultsync.transport.grpc.v1.Outcome.newBuilder()
            .setRefused(io.vaultsync.transport.grpc.v1.Refused.newBuilder().setPath("a.md"))
            .build();
    assertThatThrownBy(() -> FromProto.outcome(empty))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no reason");
  }

  @Test
  void hashOfWrongLengthIsRefusedNamingTheField() {
    assertThatThrownBy(() -> FromProto.hash("fetch target", ByteString.copyFrom(new byte[31])))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("fetch target of 31 bytes; expected 32");
    assertThat(FromProto.optionalHash("base", ByteString.EMPTY)).isNull();
  }

  @Test
  void nonCanonicalPathsAreRefusedQuotingThem() {
    assertThatThrownBy(() -> FromProto.path("push path", "a/../../b.md"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a/../../b.md");
    String decomposed = "Cafe\u0301.md";
    assertThatThrownBy(() -> FromProto.path("push path", decomposed))
        .hasMessageContaining("push path")
        .hasMessageContaining("NFC");
  }

  @Test
  void vaultNamesAreBounded() {
    assertThatThrownBy(() -> FromProto.vault(""))
        .hasMessageContaining("has 0 chars; expected 1 to 255");
    assertThatThrownBy(() -> FromProto.vault("v".repeat(100_000)))
        .hasMessageContaining("has 100000 chars")
        .hasMessageContaining("...(100000 chars)");
    assertThatThrownBy(() -> FromProto.vault("a\nb")).hasMessageContaining("control character");
  }

  @Test
  void unknownOpsAndKindlessMessagesAreRefused() {
    var change =
        io.vaultsync.transport.grpc.v1.Change.newBuilder()
            .setSeq(5)
            .setOp(ChangeOp.CHANGE_OP_UNSPECIFIED)
            .build();
    assertThatThrownBy(() -> FromProto.change(change))
        .hasMessage("change op 0 at seq 5; expected 1 to 4");
    var putWithPrevious =
        ToProto.change(
                new Change(1, Change.Op.PUT, NotePath.of("a.md"), null, H, 1, "d", Instant.EPOCH))
            .toBuilder()
            .setPreviousPath("b.md")
            .build();
    assertThatThrownBy(() -> FromProto.change(putWithPrevious)).hasMessageContaining("only a move");
    assertThatThrownBy(
            () -> FromProto.mutation(io.vaultsync.transport.grpc.v1.Mutation.getDefaultInstance()))
        .hasMessage("mutation with no kind set");
  }

  @Test
  void inlineDeltaOverFourMibIsRefusedBeforeCopying() {
    var m =
        io.vaultsync.transport.grpc.v1.Mutation.newBuilder()
            .setPut(
                Put.newBuilder()
                    .setPath("a.md")
                    .setDelta(ByteString.copyFrom(new byte[Limits.INLINE_DELTA_BYTES + 1])))
            .build();

    assertThatThrownBy(() -> FromProto.mutation(m))
        .hasMessageContaining("inline delta of " + (Limits.INLINE_DELTA_BYTES + 1) + " bytes");
  }

  @Test
  void hostileHorizonsAndRootsAreRefusedNamingThem() {
    var page =
        io.vaultsync.transport.grpc.v1.ChangesSinceResponse.newBuilder()
            .setHeadSeq(3)
            .setHorizonSeq(7)
            .build();
    assertThatThrownBy(() -> FromProto.changePage(page))
        .hasMessageContaining("head seq 3 and horizon seq 7");
    var root =
        io.vaultsync.transport.grpc.v1.VaultRoot.newBuilder()
            .setSeq(1)
            .setRoot(ByteString.copyFrom(new byte[31]))
            .build();
    assertThatThrownBy(() -> FromProto.vaultRoot(root)).hasMessageContaining("Merkle root");
    var snapshot =
        io.vaultsync.transport.grpc.v1.Snapshot.newBuilder()
            .setSeq(-1)
            .setRoot(ByteString.copyFrom(new byte[32]))
            .build();
    assertThatThrownBy(() -> FromProto.snapshot(snapshot)).hasMessageContaining("seq -1");
  }

  @Test
  void historyAnswersOutOfOrderOffPathOrOverTheLimitAreRefused() {
    Change c5 = new Change(5, Change.Op.PUT, NotePath.of("a.md"), null, H, 1, "d", Instant.EPOCH);
    Change c3 = new Change(3, Change.Op.PUT, NotePath.of("a.md"), null, H, 1, "d", Instant.EPOCH);
    Change other =
        new Change(2, Change.Op.PUT, NotePath.of("b.md"), null, H, 1, "d", Instant.EPOCH);
    var ok =
        io.vaultsync.transport.grpc.v1.HistoryResponse.newBuilder()
            .addVersions(ToProto.change(c5))
            .addVersions(ToProto.change(c3))
            .build();
    assertThat(FromProto.history(ok, NotePath.of("a.md"), 6, 2)).containsExactly(c5, c3);
    assertThatThrownBy(() -> FromProto.history(ok, null, 6, 1))
        .hasMessageContaining("2 versions for a limit of 1");
    assertThatThrownBy(() -> FromProto.history(ok, null, 5, 10)).hasMessageContaining("seq 5");
    var reversed =
        io.vaultsync.transport.grpc.v1.HistoryResponse.newBuilder()
            .addVersions(ToProto.change(c3))
            .addVersions(ToProto.change(c5))
            .build();
    assertThatThrownBy(() -> FromProto.history(reversed, null, 9, 10))
        .hasMessageContaining("newest first");
    var offPath =
        io.vaultsync.transport.grpc.v1.HistoryResponse.newBuilder()
            .addVersions(ToProto.change(other))
            .build();
    assertThatThrownBy(() -> FromProto.history(offPath, NotePath.of("a.md"), 9, 10))
        .hasMessageContaining("b.md");
  }
}
