package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.fetch;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.StaleVersionException;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Moves and deletes: ledger entries without content. */
public interface MoveAndDeleteContract extends ProtocolFixture {
  @Test
  default void moveAndDeleteAreLedgerEntriesWithoutContent() throws IOException {
    RemoteEntry e1 = push("Daily/today.md", "moving note\n");
    Change moved = laptop().move(VAULT, e1.path(), path("Archive/today.md"), e1.hash(), LAPTOP);
    Change deleted = laptop().delete(VAULT, path("Archive/today.md"), e1.hash(), LAPTOP);

    assertThat(moved.previousPath()).isEqualTo(e1.path());
    assertThat(moved.path()).isEqualTo(path("Archive/today.md"));
    assertThat(moved.hash()).isEqualTo(e1.hash());
    assertThat(moved.size()).isEqualTo(e1.size());
    assertThat(deleted.op()).isEqualTo(Change.Op.DELETE);
    assertThat(deleted.hash()).as("a delete carries what it removed").isEqualTo(e1.hash());
    assertThat(deleted.seq()).isEqualTo(3);
    assertThat(phone().changesSince(VAULT, 1, 10).changes()).containsExactly(moved, deleted);
    assertThat(phone().manifest(VAULT).entries()).isEmpty();
    assertThat(fetch(phone(), e1.hash(), null, new byte[0]))
        .as("content stays retrievable after a delete")
        .isEqualTo(text("moving note\n"));
  }

  @Test
  default void aMoveOntoAFileIsStaleAndAMoveIntoAFolderOfItsOwnOldNameIsApplied()
      throws IOException {
    RemoteEntry a = push("a.md", "alpha");
    RemoteEntry b = push("b.md", "beta");
    assertThatThrownBy(() -> laptop().move(VAULT, a.path(), b.path(), a.hash(), LAPTOP))
        .isInstanceOf(StaleVersionException.class);
    RemoteEntry n = push("n", "a file named n");
    assertThat(laptop().move(VAULT, n.path(), path("n/n.md"), n.hash(), LAPTOP).path())
        .isEqualTo(path("n/n.md"));
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("a.md", "b.md", "n/n.md");
  }
}
