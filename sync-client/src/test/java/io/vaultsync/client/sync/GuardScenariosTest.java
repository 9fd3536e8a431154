package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import io.vaultsync.protocol.testkit.ManualClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mass-delete and empty-folder guards end to end: two replicas and an in-process server that
 * enforces the default limits as the real one does. Refused deletes are held back and named while
 * everything else syncs.
 */
class GuardScenariosTest {
  private static final int FILES = 30;

  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock(Clock.systemUTC().instant());
  private final InProcessVaultTransport server =
      new InProcessVaultTransport(clock, DeleteLimits.DEFAULTS);

  /** The vault both replicas start from: {@value #FILES} small notes. */
  private static void notes(Replica a) throws IOException {
    for (int i = 0; i < FILES; i++) {
      a.write(String.format("Notes/n%02d.md", i), "note " + i + "\n");
    }
  }

  private Replica[] pair() throws Exception {
    Replica[] r = Replica.pair(tmp, server, GuardScenariosTest::notes);
    assertThat(r[1].files()).hasSize(FILES);
    return r;
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((x, y) -> y.compareTo(x)).toList()) {
        Files.delete(p);
      }
    }
  }

  private static long heldBack(SyncReport r) {
    return r.notSynced().stream().filter(n -> n.kind() == NotSynced.Kind.HELD_BACK).count();
  }

  @Test
  void anEmptiedFolderHoldsBackEveryDeleteAndTheServerKeepsItsFilesUntilAllowed() throws Exception {
    Replica a = pair()[0];
    deleteRecursively(a.dir.resolve("Notes"));
    Map<String, ContentHash> before = Replica.serverFiles(server);

    SyncReport held = a.sync();
    assertThat(heldBack(held)).isEqualTo(FILES);
    assertThat(held.notSynced().get(0).reason())
        .contains("looks empty or unmounted")
        .contains("--allow-mass-delete");
    assertThat(held.deleted()).isZero();
    assertThat(Replica.serverFiles(server)).isEqualTo(before);
    assertThat(a.preview(SyncOptions.DEFAULTS).refusal())
        .hasValueSatisfying(
            r -> assertThat(r.reason()).isEqualTo(GuardRefusal.Reason.FOLDER_LOOKS_EMPTY));

    SyncReport allowed = a.sync(SyncOptions.ALLOW_MASS_DELETE);
    assertThat(allowed.deleted()).isEqualTo(FILES);
    assertThat(allowed.notSynced()).isEmpty();
    assertThat(Replica.serverFiles(server)).isEmpty();
  }

  @Test
  void aFolderWhoseStateFolderOrRootVanishedIsRefusedAndTheServerKeepsItsFiles() throws Exception {
    Replica[] r = pair();
    deleteRecursively(r[0].dir.resolve(".vaultsync"));
    deleteRecursively(r[0].dir.resolve("Notes"));
    assertThatThrownBy(r[0]::sync)
        .isInstanceOf(NoSuchFileException.class)
        .hasMessageContaining("not a synced vault folder");
    deleteRecursively(r[1].dir);
    assertThatThrownBy(r[1]::sync).isInstanceOf(NoSuchFileException.class);
    assertThat(Replica.serverFiles(server)).hasSize(FILES);
  }

  @Test
  void deletingMoreThan30PercentLocallyIsHeldBackWhileTheRestIsSyncedUntilAllowed()
      throws Exception {
    Replica[] r = pair();
    for (int i = 0; i < 10; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i)); // 10 of 30: 33%
    }
    r[0].write("Notes/new.md", "a new note\n");

    SyncReport held = r[0].sync();
    assertThat(heldBack(held)).isEqualTo(10);
    assertThat(held.filesUp()).isEqualTo(1);
    assertThat(held.notSynced().get(0).reason())
        .contains("held back 10 deletes on the server: they are gone from ")
        .contains("the guard holds back deleting more than 30% of the vault's files");
    assertThat(held.notSynced()).extracting(NotSynced::path).contains("Notes/n00.md");
    assertThat(Replica.serverFiles(server)).hasSize(FILES + 1).containsKey("Notes/new.md");
    assertThat(r[0].preview(SyncOptions.DEFAULTS).heldBack())
        .singleElement()
        .satisfies(
            g -> {
              assertThat(g.reason()).isEqualTo(GuardRefusal.Reason.REMOTE_DELETES);
              assertThat(g.deletes()).isEqualTo(10);
              assertThat(g.files()).isEqualTo(FILES + 1);
            });

    r[0].sync(SyncOptions.ALLOW_MASS_DELETE);
    assertThat(Replica.serverFiles(server)).hasSize(FILES - 10 + 1);
  }

  /**
   * Deletes another device made in steps each below the limits add up here: held back until this
   * device allows them.
   */
  @Test
  void unconfirmedDeletesFromAnotherDeviceAreHeldBackHereUntilAllowed() throws Exception {
    Replica[] r = pair();
    for (int step = 0; step < 2; step++) {
      for (int i = 0; i < 9; i++) {
        r[0].delete(String.format("Notes/n%02d.md", step * 9 + i));
      }
      assertThat(heldBack(r[0].sync())).isZero(); // 9 deletes: below the floor each time
      clock.advance(DeleteLimits.WINDOW); // a server counts one device's deletes of a minute
    }
    r[0].write("Notes/new.md", "a new note\n");
    r[0].sync();

    SyncReport held = r[1].sync();
    assertThat(heldBack(held)).isEqualTo(18);
    assertThat(held.filesDown()).isEqualTo(1);
    assertThat(held.notSynced().get(0).reason()).contains("another device deleted them");
    assertThat(r[1].files()).hasSize(FILES + 1);
    // Held back again by the next sync, and not lost: the last seq stays before them.
    assertThat(heldBack(r[1].sync())).isEqualTo(18);

    r[1].sync(SyncOptions.ALLOW_MASS_DELETE);
    assertThat(r[1].files()).hasSize(FILES - 18 + 1);
    assertThat(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  /**
   * Issue 12 item 7: a mass delete confirmed with --allow-mass-delete on the device that made it is
   * confirmed for every device: the others apply it without asking again.
   */
  @Test
  void aMassDeleteConfirmedOnOneDeviceIsAppliedByTheOthersWithoutAsking() throws Exception {
    Replica[] r = pair();
    for (int i = 0; i < 20; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i));
    }
    r[0].sync(SyncOptions.ALLOW_MASS_DELETE);

    SyncReport applied = r[1].sync();
    assertThat(applied.notSynced()).isEmpty();
    assertThat(applied.deleted()).isEqualTo(20);
    assertThat(r[1].files()).hasSize(FILES - 20);
  }

  /**
   * A client whose own limits let the deletes through is still refused by the server; it holds
   * those deletes back and sends the rest of the batch again without them.
   */
  @Test
  void deletesTheServerRefusesAreHeldBackAndTheRestOfTheCommitIsSent() throws Exception {
    Replica[] r = pair();
    for (int i = 0; i < 15; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i));
    }
    r[0].write("Notes/new.md", "a new note\n");
    SyncOptions loose = new SyncOptions(false, DeleteLimits.NONE);

    SyncReport held = r[0].sync(loose);
    assertThat(heldBack(held)).isEqualTo(15);
    assertThat(held.notSynced().get(0).reason())
        .contains("held back 15 deletes the server refused: they are gone from ")
        .contains("(15 counted with this device's deletes of the last minute)");
    assertThat(held.filesUp()).isEqualTo(1);
    assertThat(Replica.serverFiles(server)).hasSize(FILES + 1);
  }

  @Test
  void limitsComeFromTheFolderConfig() throws Exception {
    Replica[] r = pair();
    Files.writeString(
        r[0].dir.resolve(".vaultsync/config"),
        "maxDeletes=2\n",
        java.nio.file.StandardOpenOption.APPEND);
    for (int i = 0; i < 3; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i));
    }
    SyncReport held = r[0].sync();
    assertThat(heldBack(held)).isEqualTo(3);
    assertThat(held.notSynced().get(0).reason()).contains("more than 2 files");
    Files.writeString(
        r[0].dir.resolve(".vaultsync/config"),
        "maxDeletePercent=abc\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(r[0]::sync).hasMessageContaining("maxDeletePercent = \"abc\"");
  }
}
