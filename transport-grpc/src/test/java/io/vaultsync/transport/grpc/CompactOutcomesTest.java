package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.vaultsync.transport.grpc.v1.Change;
import io.vaultsync.transport.grpc.v1.ChangeOp;
import io.vaultsync.transport.grpc.v1.Delete;
import io.vaultsync.transport.grpc.v1.Move;
import io.vaultsync.transport.grpc.v1.Mutation;
import io.vaultsync.transport.grpc.v1.Outcome;
import io.vaultsync.transport.grpc.v1.Put;
import io.vaultsync.transport.grpc.v1.Stale;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** {@code CommitRequest.compact_outcomes}: what the server leaves out, the client puts back. */
class CompactOutcomesTest {
  private static final ByteString H1 = hash(1);
  private static final ByteString H2 = hash(2);

  private static ByteString hash(int b) {
    byte[] h = new byte[32];
    Arrays.fill(h, (byte) b);
    return ByteString.copyFrom(h);
  }

  /** The mutation most cases answer: a/x.md moved to b/x.md, expected with content {@link #H1}. */
  private static final Mutation MOVE_A_TO_B =
      Mutation.newBuilder()
          .setMove(Move.newBuilder().setPath("a/x.md").setTo("b/x.md").setExpected(H1))
          .build();

  private static Outcome applied(ChangeOp op, String path, String previous, ByteString hash) {
    return Outcome.newBuilder()
        .setApplied(
            Change.newBuilder()
                .setSeq(42)
                .setOp(op)
                .setPath(path)
                .setPreviousPath(previous)
                .setHash(hash)
                .setSize(1234)
                .setDevice("laptop")
                .setTimeMillis(1_700_000_000_000L))
        .build();
  }

  @Test
  void anAppliedMoveKeepsOnlyWhatTheMutationDidNotSayAndExpandsBackExactly() {
    Mutation move = MOVE_A_TO_B;
    Outcome full = applied(ChangeOp.CHANGE_OP_MOVE, "b/x.md", "a/x.md", H1);

    Outcome compact = CompactOutcomes.compact(move, full);

    Change c = compact.getApplied();
    assertThat(c.getPath()).isEmpty();
    assertThat(c.getPreviousPath()).isEmpty();
    assertThat(c.getHash()).isEmpty();
    assertThat(c.getSeq()).isEqualTo(42);
    assertThat(c.getDevice()).isEqualTo("laptop");
    assertThat(compact.getSerializedSize()).isLessThan(full.getSerializedSize() - 32 - 12);
    assertThat(CompactOutcomes.expand(move, compact)).isEqualTo(full);
  }

  @Test
  void fieldsThatDifferFromTheMutationStayOnTheWire() {
    Mutation move = MOVE_A_TO_B;
    Outcome other = applied(ChangeOp.CHANGE_OP_MOVE, "c/x.md", "a/y.md", H2);
    assertThat(CompactOutcomes.compact(move, other)).isEqualTo(other);
    assertThat(CompactOutcomes.expand(move, other)).isEqualTo(other);
  }

  @Test
  void aPutKeepsItsNewHashAndADeleteDropsTheExpectedOne() {
    Mutation put =
        Mutation.newBuilder()
            .setPut(Put.newBuilder().setPath("n.md").setBase(H1).setDelta(ByteString.EMPTY))
            .build();
    Outcome putDone = applied(ChangeOp.CHANGE_OP_PUT, "n.md", "", H2);
    Outcome compactPut = CompactOutcomes.compact(put, putDone);
    assertThat(compactPut.getApplied().getHash()).isEqualTo(H2);
    assertThat(compactPut.getApplied().getPath()).isEmpty();
    assertThat(CompactOutcomes.expand(put, compactPut)).isEqualTo(putDone);

    Mutation delete =
        Mutation.newBuilder()
            .setDelete(Delete.newBuilder().setPath("n.md").setExpected(H1))
            .build();
    Outcome deleted = applied(ChangeOp.CHANGE_OP_DELETE, "n.md", "", H1);
    Outcome compactDelete = CompactOutcomes.compact(delete, deleted);
    assertThat(compactDelete.getApplied().getHash()).isEmpty();
    assertThat(CompactOutcomes.expand(delete, compactDelete)).isEqualTo(deleted);
  }

  @Test
  void aStaleOutcomeIsLeftAsItIs() {
    Mutation move = MOVE_A_TO_B;
    Outcome stale = Outcome.newBuilder().setStale(Stale.newBuilder().setPath("a/x.md")).build();
    assertThat(CompactOutcomes.compact(move, stale)).isEqualTo(stale);
    assertThat(CompactOutcomes.expand(move, stale)).isEqualTo(stale);
  }
}
