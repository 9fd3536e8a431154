package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The progress callbacks of init, clone and sync add up to what was planned. */
class SyncProgressTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  /** Records every callback. */
  static final class Recording implements SyncProgress {
    int plannedFiles;
    long plannedBytes;
    final List<NotePath> done = new ArrayList<>();
    long doneBytes;
    int finished;

    @Override
    public void planned(int files, long bytes) {
      plannedFiles += files;
      plannedBytes += bytes;
    }

    @Override
    public void fileDone(NotePath path, long bytes) {
      assertThat(finished).as("fileDone after finished").isZero();
      done.add(path);
      doneBytes += bytes;
    }

    @Override
    public void finished() {
      finished++;
    }
  }

  @Test
  void initCloneAndSyncReportEveryFileAndByteOnce() throws Exception {
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    a.write("Daily/2026-11-26.md", "day\n".repeat(100)); // 400 bytes
    a.write("Ideas.md", "idea\n".repeat(10)); // 50 bytes
    a.write("img/pic.bin", new byte[1000]);

    Recording init = new Recording();
    VaultSetup.init(a.dir, a.config(), "secret-token", a.wire, Clock.systemDefaultZone(), init);
    assertThat(init.plannedFiles).isEqualTo(3);
    assertThat(init.plannedBytes).isEqualTo(1450);
    assertThat(init.done)
        .extracting(NotePath::toString)
        .containsExactlyInAnyOrder("Daily/2026-11-26.md", "Ideas.md", "img/pic.bin");
    assertThat(init.doneBytes).isEqualTo(1450);
    assertThat(init.finished).isEqualTo(1);

    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    Recording clone = new Recording();
    VaultSetup.cloneInto(
        b.dir, b.config(), "secret-token", b.wire, Clock.systemDefaultZone(), clone);
    assertThat(clone.plannedFiles).isEqualTo(3);
    assertThat(clone.plannedBytes).isEqualTo(1450);
    assertThat(clone.done).hasSize(3);
    assertThat(clone.doneBytes).isEqualTo(1450);
    assertThat(clone.finished).isEqualTo(1);

    a.write("Ideas.md", "idea\n".repeat(12)); // 60 bytes
    a.delete("img/pic.bin");
    Recording sync = new Recording();
    new Syncer(a.wire, Clock.systemDefaultZone(), sync).sync(a.dir);
    assertThat(sync.plannedFiles).isEqualTo(2);
    assertThat(sync.plannedBytes).isEqualTo(60);
    assertThat(sync.done)
        .extracting(NotePath::toString)
        .containsExactlyInAnyOrder("Ideas.md", "img/pic.bin");
    assertThat(sync.doneBytes).isEqualTo(60);

    Recording down = new Recording();
    new Syncer(b.wire, Clock.systemDefaultZone(), down).sync(b.dir);
    assertThat(down.plannedFiles).isEqualTo(2); // a download and a local delete
    assertThat(down.done).hasSize(2);
    assertThat(down.finished).isEqualTo(1);

    Recording nothing = new Recording();
    new Syncer(b.wire, Clock.systemDefaultZone(), nothing).sync(b.dir);
    assertThat(nothing.plannedFiles).isZero();
    assertThat(nothing.done).isEmpty();
    assertThat(nothing.finished).isEqualTo(1);
  }
}
