package io.vaultsync.server.vault;

import static io.vaultsync.server.TestDeltas.delta;
import static io.vaultsync.server.vault.Fixture.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.server.ledger.VaultName;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every write path of the server (commit, push, the reconciler's record of edits on its disk)
 * writes the version history, which the transport methods and {@code history()} read.
 */
class ServerVaultsHistoryTest extends NotesVaultTest {
  static NotePath p(String s) {
    return NotePath.of(s);
  }

  @Test
  void commitsPushesAndServerDiskEditsAreAllInTheHistory() throws Exception {
    List<io.vaultsync.protocol.Outcome> first =
        f.vaults.commit("notes", List.of(putNew("a.md", "one"), putNew("b.md", "bee")), "laptop");
    RemoteEntry a = f.vaults.manifest("notes").entries().get(0);
    f.vaults.move("notes", p("a.md"), p("c.md"), a.hash(), "laptop"); // seq 3
    f.vaults.push(
        "notes",
        p("d.md"),
        null,
        new java.io.ByteArrayInputStream(delta(new byte[0], text("dee"))),
        "desktop"); // seq 4
    java.nio.file.Files.writeString(f.file("notes", "b.md"), "edited on the server");
    f.reconciler.reconcile(VaultName.of("notes")); // seq 5, device server-disk

    List<Change> all = f.vaults.history("notes", null, Long.MAX_VALUE, 100);
    assertThat(all).extracting(Change::seq).containsExactly(5L, 4L, 3L, 2L, 1L);
    List<Change> ledger =
        new java.util.ArrayList<>(f.vaults.changesSince("notes", 0, 100).changes());
    java.util.Collections.reverse(ledger);
    // The feed's memory keeps the clock's nanoseconds; the database keeps milliseconds.
    assertThat(all)
        .usingElementComparator(
            java.util.Comparator.comparing(
                (Change c) ->
                    List.of(
                            c.seq(),
                            c.op(),
                            c.path(),
                            c.hash(),
                            c.device(),
                            c.time().toEpochMilli())
                        .toString()))
        .containsExactlyElementsOf(ledger);
    assertThat(all.get(0).device()).isEqualTo("server-disk");
    assertThat(first).hasSize(2);

    assertThat(f.vaults.manifestAt("notes", 2).entries())
        .extracting(e -> e.path().value())
        .containsExactly("a.md", "b.md");
    assertThat(f.vaults.manifestAt("notes", 99)).isEqualTo(f.vaults.manifest("notes"));
    VaultName notes = VaultName.of("notes");
    assertThat(f.vaults.history().fileIdAt(notes, p("c.md"), 5)).hasValue(1); // a.md's id moved
    assertThat(f.vaults.history().fileIdAt(notes, p("b.md"), 5)).hasValue(2);
    assertThat(f.vaults.seqAt("notes", Instant.now().plusSeconds(60))).isEqualTo(5);
    assertThatThrownBy(() -> f.vaults.manifestAt("nope", 1)).isInstanceOf(NotFoundException.class);
  }
}
