package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.fetch;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Content the remote lost ({@link Backend#loseContent}: a damaged disk, a lost pack) and devices
 * give back ({@link io.vaultsync.protocol.SyncProtocol#giveBack}): the remote says it lacks it,
 * asks for it on change pages while its head names it, takes only the right bytes, once, and serves
 * it again. A give-back is no change: the ledger does not move.
 */
public interface LostContentContract extends ProtocolFixture {
  /** The note the tests make the remote lose. */
  String LOST = "# Lost\nthe only copy was on a disk that failed\n";

  @Test
  default void lostContentIsAskedForTakenBackOnceFromADeviceAndServedAgain() throws IOException {
    RemoteEntry a = push("a.md", LOST);
    push("b.md", "beta stays");
    backend().loseContent(VAULT, a.hash());

    assertThatThrownBy(() -> fetch(phone(), a.hash(), null, new byte[0]))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining(a.hash().hex());
    assertThat(phone().changesSince(VAULT, 0, 10).wanted()).containsExactly(a.hash());
    assertThat(phone().changesSince(VAULT, 2, 10).wanted())
        .as("asked for on a page with no changes too")
        .containsExactly(a.hash());

    assertThatThrownBy(
            () ->
                phone().giveBack(VAULT, a.hash(), stream(delta(new byte[0], text("wrong"))), PHONE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(a.hash().hex());
    assertThat(phone().giveBack(VAULT, a.hash(), stream(delta(new byte[0], text(LOST))), PHONE))
        .isTrue();

    assertThat(fetch(laptop(), a.hash(), null, new byte[0])).isEqualTo(text(LOST));
    assertThat(laptop().changesSince(VAULT, 0, 10).wanted()).isEmpty();
    assertThat(laptop().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(2);
    assertThat(laptop().giveBack(VAULT, a.hash(), stream(delta(new byte[0], text(LOST))), LAPTOP))
        .as("no longer wanted")
        .isFalse();
  }

  @Test
  default void lostContentCommittedAgainByAnyDeviceIsNoLongerWanted() throws IOException {
    RemoteEntry a = push("a.md", LOST);
    backend().loseContent(VAULT, a.hash());

    assertThat(phone().commit(VAULT, List.of(putNew("copy.md", LOST)), PHONE))
        .singleElement()
        .isInstanceOf(Outcome.Applied.class);

    assertThat(laptop().changesSince(VAULT, 0, 10).wanted()).isEmpty();
    assertThat(fetch(laptop(), a.hash(), null, new byte[0])).isEqualTo(text(LOST));
  }

  @Test
  default void lostContentNoLongerAtTheHeadIsNotAskedFor() throws IOException {
    RemoteEntry a = push("a.md", LOST);
    backend().loseContent(VAULT, a.hash());
    assertThat(phone().changesSince(VAULT, 0, 10).wanted()).containsExactly(a.hash());

    phone().delete(VAULT, a.path(), a.hash(), PHONE);

    assertThat(phone().changesSince(VAULT, 0, 10).wanted()).isEmpty();
  }
}
