package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.fetch;
import static io.vaultsync.protocol.testkit.ContractData.hash;
import static io.vaultsync.protocol.testkit.ContractData.patch;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Fetch by base, batched fetches, and content given back. */
public interface FetchContract extends ProtocolFixture {
  @Test
  default void aFetchAgainstABaseIsADeltaThatMakesTheTargetFromIt() throws IOException {
    byte[] v1 = text("# Today\n" + "line of a note\n".repeat(400));
    byte[] v2 =
        text(
            "# Today\n"
                + "line of a note\n".repeat(200)
                + "NEW\n"
                + "line of a note\n".repeat(200));
    RemoteEntry e1 = push("n.md", v1);
    byte[] up = delta(v1, v2);
    assertThat(up.length).isLessThan(v2.length / 4);
    RemoteEntry e2 = laptop().push(VAULT, path("n.md"), e1.hash(), stream(up), LAPTOP);

    ByteArrayOutputStream down = new ByteArrayOutputStream();
    phone().fetch(VAULT, e2.hash(), e1.hash(), down);
    assertThat(down.size()).isLessThan(v2.length / 4);
    assertThat(patch(v1, down.toByteArray())).isEqualTo(v2);
    assertThat(fetch(phone(), e1.hash(), null, new byte[0])).as("an old version").isEqualTo(v1);
  }

  @Test
  default void aFetchOfContentNeverStoredIsNotFound() throws IOException {
    push("a.md", "alpha");
    ContentHash unknown = hash("never stored");
    assertThatThrownBy(() -> phone().fetch(VAULT, unknown, null, OutputStream.nullOutputStream()))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(unknown.hex());
  }

  /**
   * A base the remote does not store costs only bytes: the answer is a delta that copies nothing
   * from it (all literal), which makes the target from whatever basis the client applies it to. The
   * real server answers so for a base it lost (issue 12: a device's edit of a lost version is not
   * stuck), and cannot tell a lost base from one it never had without reading its history.
   */
  @Test
  default void aFetchAgainstABaseTheRemoteLacksIsADeltaThatCopiesNothing() throws IOException {
    RemoteEntry a = push("a.md", "alpha, long enough to be worth a copy of a block or two");
    byte[] basis = text("a basis the remote never stored");
    ByteArrayOutputStream down = new ByteArrayOutputStream();
    phone().fetch(VAULT, a.hash(), ContentHash.digestOf(basis), down);
    assertThat(patch(new byte[0], down.toByteArray()))
        .isEqualTo(text("alpha, long enough to be worth a copy of a block or two"));
    assertThat(patch(basis, down.toByteArray()))
        .isEqualTo(text("alpha, long enough to be worth a copy of a block or two"));
  }

  @Test
  default void fetchManyAnswersEachItemInOrderAndReportsAnUnknownTargetForItsItemOnly()
      throws IOException {
    byte[] b1 = text("# B\nfirst line of b\n");
    byte[] b2 = text("# B\nfirst line of b\nsecond line\n");
    RemoteEntry a = push("a.md", "# A\n");
    RemoteEntry eb1 = push("b.md", b1);
    RemoteEntry eb2 = laptop().push(VAULT, path("b.md"), eb1.hash(), stream(delta(b1, b2)), LAPTOP);
    ContentHash unknown = hash("never stored");
    FetchRecorder r = new FetchRecorder();

    phone()
        .fetchMany(
            VAULT,
            List.of(
                new FetchItem(a.hash(), null),
                new FetchItem(unknown, null),
                new FetchItem(eb2.hash(), eb1.hash())),
            r);

    assertThat(r.calls).containsExactly("begin 0", "end 0", "notFound 1", "begin 2", "end 2");
    assertThat(patch(new byte[0], r.deltas.get(0).toByteArray())).isEqualTo(text("# A\n"));
    assertThat(patch(b1, r.deltas.get(2).toByteArray())).isEqualTo(b2);
    assertThat(r.notFound.get(1)).contains(unknown.hex());
  }

  @Test
  default void aFetchOfMoreItemsThanTheLimitIsRefusedBeforeAnyItem() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    FetchRecorder r = new FetchRecorder();
    List<FetchItem> tooMany =
        java.util.Collections.nCopies(
            io.vaultsync.protocol.Limits.FETCH_ITEMS + 1, new FetchItem(a.hash(), null));
    assertThatThrownBy(() -> phone().fetchMany(VAULT, tooMany, r))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("1001");
    assertThatThrownBy(() -> phone().fetchMany(VAULT, List.of(), r))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("of 0 files");
    assertThatThrownBy(() -> phone().fetchMany("nope", List.of(new FetchItem(a.hash(), null)), r))
        .isInstanceOf(NotFoundException.class);
    assertThat(r.calls).isEmpty();
  }

  /** A remote takes content back only when it asked for it (a change page's wanted list). */
  @Test
  default void contentGivenBackThatTheRemoteDoesNotWantIsDeclined() throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    assertThat(phone().changesSince(VAULT, 0, 10).wanted()).isEmpty();
    assertThat(phone().giveBack(VAULT, a.hash(), stream(delta(new byte[0], text("alpha"))), PHONE))
        .isFalse();
    assertThat(
            phone()
                .giveBack(
                    VAULT,
                    hash("never asked"),
                    stream(delta(new byte[0], text("never asked"))),
                    PHONE))
        .isFalse();
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(1);
  }
}
