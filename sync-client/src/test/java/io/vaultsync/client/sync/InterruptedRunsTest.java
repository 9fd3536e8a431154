package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12, item 12: what killed or interrupted commands leave behind is cleaned up, and running
 * the command again finishes the job instead of failing with a bare path.
 */
class InterruptedRunsTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  /** The laptop's folder with one note, uploaded as the vault. */
  private Replica laptopWithANote() throws IOException {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    a.write("Note.md", "hello\n");
    a.init();
    return a;
  }

  /** Clones {@code like}'s vault into {@code folder}. */
  private SyncReport cloneInto(Path folder, Replica like) throws IOException {
    return VaultSetup.cloneInto(
        folder, like.config(), "t", server, Clock.systemDefaultZone(), SyncProgress.NONE);
  }

  @Test
  void leftoversOfKilledCommandsInTheStateFolderAreRemovedByTheNextSync() throws Exception {
    Replica a = laptopWithANote();
    Path state = a.dir.resolve(".vaultsync");
    Path oldDelta = Files.writeString(state.resolve("tmp/.vstmp-down-1.delta"), "half a delta");
    Path oldIndex = Files.writeString(state.resolve(".vstmp-5f3a-index"), "half an index");
    Path oldOther = Files.writeString(state.resolve("tmp/.vstmp-77-Note.md"), "half a note");
    Instant longAgo = Instant.now().minus(Duration.ofHours(1));
    for (Path p : new Path[] {oldDelta, oldIndex, oldOther}) {
      Files.setLastModifiedTime(p, FileTime.from(longAgo));
    }
    Path fresh = Files.writeString(state.resolve("tmp/.vstmp-restore-2.delta"), "in use");

    a.sync();

    assertThat(oldDelta).doesNotExist();
    assertThat(oldIndex).doesNotExist();
    assertThat(oldOther).doesNotExist();
    assertThat(fresh).as("a restore may be writing it right now").exists();
    assertThat(state.resolve("config")).exists();
    assertThat(state.resolve("token")).exists();
  }

  @Test
  void cloneIntoTheFolderOfAnInterruptedCloneOfTheSameVaultFinishesIt() throws Exception {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    for (int i = 0; i < 20; i++) {
      a.write("n" + i + ".md", "note " + i + "\n");
    }
    a.init();
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    // What a clone killed after writing its state and a few files leaves.
    Files.createDirectories(b.dir);
    StateFolder.of(b.dir).create(b.config(), "secret-token");
    Files.writeString(b.dir.resolve("n3.md"), "note 3\n");

    SyncReport r = b.cloneVault();

    assertThat(r.notSynced()).isEmpty();
    assertThat(b.files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void cloneIntoAReplicaOfAnotherVaultSaysWhatItIsAndWhatToRun() throws Exception {
    Replica a = laptopWithANote();
    Path other = Files.createDirectories(tmp.resolve("other"));
    StateFolder.of(other)
        .create(new VaultConfig(URI.create("inprocess://test"), "work", "laptop"), "t");

    assertThatThrownBy(() -> cloneInto(other, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(other.toString())
        .hasMessageContaining("vault \"work\"")
        .hasMessageContaining("vaultsync sync");
  }

  @Test
  void cloneIntoAFolderWithFilesButNoVaultSaysToPickAnEmptyOne() throws Exception {
    Replica a = laptopWithANote();
    Path full = Files.createDirectories(tmp.resolve("full"));
    Files.writeString(full.resolve("mine.md"), "mine\n");

    assertThatThrownBy(() -> cloneInto(full, a))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(full.toString())
        .hasMessageContaining("not empty")
        .hasMessageContaining("new or empty folder");
    assertThat(Files.readString(full.resolve("mine.md"))).isEqualTo("mine\n");
  }

  /**
   * Found by the kill -9 loop: a clone killed while it wrote .vaultsync/ left it without config.
   */
  @Test
  void cloneIntoTheFolderOfACloneKilledBeforeItsConfigWasWrittenFinishesIt() throws Exception {
    Replica a = laptopWithANote();
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    Path state = Files.createDirectories(b.dir.resolve(".vaultsync"));
    Files.writeString(state.resolve("token"), "secret-token\n");

    SyncReport r = b.cloneVault();

    assertThat(r.notSynced()).isEmpty();
    assertThat(b.files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void initRunAgainAfterItWasKilledBeforeItsConfigWasWrittenFinishesIt() throws Exception {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    a.write("Note.md", "hello\n");
    // What an init killed right after it created the vault leaves.
    server.createVault(Replica.VAULT);
    Files.createDirectories(a.dir.resolve(".vaultsync"));

    a.init();

    assertThat(Replica.serverFiles(server)).isEqualTo(a.files());
  }

  @Test
  void initOfAFolderSetUpAlreadySaysToRunSync() throws Exception {
    Replica a = laptopWithANote();

    assertThatThrownBy(a::init)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set up for sync already")
        .hasMessageContaining("vaultsync sync " + a.dir);
  }

  @Test
  void initDoesNotTakeOverAVaultThatHasFiles() throws Exception {
    Replica a = laptopWithANote();
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    Files.createDirectories(b.dir.resolve(".vaultsync"));
    b.write("Other.md", "other\n");

    assertThatThrownBy(b::init).isInstanceOf(Exception.class);
    assertThat(Replica.serverFiles(server)).containsOnlyKeys("Note.md");
  }
}
