package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.DeleteLimits;
import io.vaultsync.core.transport.InProcessVaultTransport;
import io.vaultsync.core.transport.MassDeleteRefusedException;
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
 * enforces the default limits as the real one does.
 */
class GuardScenariosTest {
  private static final int FILES = 30;

  @TempDir Path tmp;

  private final InProcessVaultTransport server =
      new InProcessVaultTransport(Clock.systemUTC(), DeleteLimits.DEFAULTS);

  private Replica[] pair() throws Exception {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    for (int i = 0; i < FILES; i++) {
      a.write(String.format("Notes/n%02d.md", i), "note " + i + "\n");
    }
    a.init();
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    b.cloneVault();
    assertThat(b.files()).hasSize(FILES);
    return new Replica[] {a, b};
  }

  private static void deleteRecursively(Path dir) throws Exception {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted((x, y) -> y.compareTo(x)).toList()) {
        Files.delete(p);
      }
    }
  }

  @Test
  void anEmptiedFolderIsRefusedAndNothingIsDeletedOnTheServerUntilAllowed() throws Exception {
    Replica a = pair()[0];
    deleteRecursively(a.dir.resolve("Notes"));
    Map<String, ContentHash> before = Replica.serverFiles(server);

    assertThatThrownBy(a::sync)
        .isInstanceOfSatisfying(
            SyncRefusedException.class,
            e -> assertThat(e.refusal().reason()).isEqualTo(GuardRefusal.Reason.FOLDER_LOOKS_EMPTY))
        .hasMessageContaining("looks empty or unmounted")
        .hasMessageContaining("--allow-mass-delete");
    assertThat(Replica.serverFiles(server)).isEqualTo(before);
    assertThat(a.preview(SyncOptions.DEFAULTS).refusal()).isPresent();

    SyncReport allowed = a.sync(SyncOptions.ALLOW_MASS_DELETE);
    assertThat(allowed.deleted()).isEqualTo(FILES);
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
  void deletingMoreThan30PercentLocallyIsRefusedUntilAllowed() throws Exception {
    Replica[] r = pair();
    for (int i = 0; i < 10; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i)); // 10 of 30: 33%
    }
    r[0].write("Notes/new.md", "a new note\n");

    assertThatThrownBy(r[0]::sync)
        .isInstanceOfSatisfying(
            SyncRefusedException.class,
            e -> {
              assertThat(e.refusal().reason()).isEqualTo(GuardRefusal.Reason.REMOTE_DELETES);
              assertThat(e.refusal().deletes()).isEqualTo(10);
              assertThat(e.refusal().files()).isEqualTo(FILES);
            })
        .hasMessageContaining("delete 10 of 30 files (33%) on the server")
        .hasMessageContaining("Notes/n00.md");
    assertThat(Replica.serverFiles(server)).hasSize(FILES).doesNotContainKey("Notes/new.md");

    r[0].sync(SyncOptions.ALLOW_MASS_DELETE);
    assertThat(Replica.serverFiles(server)).hasSize(FILES - 10 + 1);
  }

  @Test
  void aMassDeleteFromAnotherDeviceDoesNotEmptyThisOneUntilAllowed() throws Exception {
    Replica[] r = pair();
    for (int i = 0; i < 20; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i));
    }
    r[0].sync(SyncOptions.ALLOW_MASS_DELETE); // the "broken" device insisted

    assertThatThrownBy(r[1]::sync)
        .isInstanceOfSatisfying(
            SyncRefusedException.class,
            e -> {
              assertThat(e.refusal().reason()).isEqualTo(GuardRefusal.Reason.LOCAL_DELETES);
              assertThat(e.refusal().deletes()).isEqualTo(20);
            })
        .hasMessageContaining("another device deleted them");
    assertThat(r[1].files()).hasSize(FILES);

    r[1].sync(SyncOptions.ALLOW_MASS_DELETE);
    assertThat(r[1].files()).hasSize(FILES - 20);
  }

  @Test
  void aClientWithLooserLimitsIsStillRefusedByTheServerAndNothingIsDeletedThere() throws Exception {
    Replica[] r = pair();
    for (int i = 0; i < 15; i++) {
      r[0].delete(String.format("Notes/n%02d.md", i));
    }
    SyncOptions loose = new SyncOptions(false, DeleteLimits.NONE);

    assertThatThrownBy(() -> r[0].sync(loose))
        .isInstanceOf(MassDeleteRefusedException.class)
        .hasMessageContaining("15 of 30 files (50%)");
    assertThat(Replica.serverFiles(server)).hasSize(FILES);
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
    assertThatThrownBy(r[0]::sync)
        .isInstanceOf(SyncRefusedException.class)
        .hasMessageContaining("more than 2 files");
    Files.writeString(
        r[0].dir.resolve(".vaultsync/config"),
        "maxDeletePercent=abc\n",
        java.nio.file.StandardOpenOption.APPEND);
    assertThatThrownBy(r[0]::sync).hasMessageContaining("maxDeletePercent = \"abc\"");
  }
}
