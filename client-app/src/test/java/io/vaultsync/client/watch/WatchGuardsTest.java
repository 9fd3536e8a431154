package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.client.grpc.GrpcConnector;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncOptions;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.sync.Syncer;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 12 items 6 and 8 under a running {@code vaultsync watch}: a burst of renames with small
 * edits in a large vault is a burst of moves (no guard involved), and deletes the guard refuses are
 * held back while the watch keeps syncing everything else and keeps running.
 */
@Timeout(300)
class WatchGuardsTest extends WatchTestBase {
  private static final Duration CONVERGE = Duration.ofSeconds(90);

  WatchGuardsTest() {
    super(CONVERGE);
  }

  /**
   * A server with A's folder of {@code notes} uploaded, and B a copy of A's replica (files with
   * their mtimes, and the index) with its own device name and token: what a clone leaves, without
   * downloading 10,000 notes again.
   */
  private void twoReplicas(Map<String, String> notes) throws IOException {
    server = new WatchTestServer(tmp.resolve("server"));
    WatchReplica a = replica("a", "laptop");
    WatchReplica b = replica("b", "desktop");
    Files.createDirectories(a.dir);
    for (Map.Entry<String, String> e : notes.entrySet()) {
      a.write(e.getKey(), e.getValue());
    }
    a.init(server);
    try (Stream<Path> all = Files.walk(a.dir)) {
      for (Path from : all.toList()) {
        Path rel = a.dir.relativize(from);
        if (rel.toString().equals(".vaultsync/config")
            || rel.toString().equals(".vaultsync/token")) {
          continue;
        }
        Path to = b.dir.resolve(rel.toString());
        if (Files.isDirectory(from)) {
          Files.createDirectories(to);
        } else {
          Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
    StateFolder.of(b.dir).create(b.config(server), server.token(b.device));
    watchers.add(a);
    watchers.add(b);
  }

  /** A note of about 1.5 KB, different for each seed. */
  private static String longNote(Random rnd, int i) {
    StringBuilder sb = new StringBuilder("# Topic " + i + "\n\n");
    while (sb.length() < 1500) {
      sb.append("- point ").append(rnd.nextLong()).append(" links [[topic ").append(i);
      sb.append("]]\n");
    }
    return sb.toString();
  }

  private boolean allRunning() throws Exception {
    for (WatchReplica w : watchers) {
      if (w.running != null) {
        w.stillRunning();
      }
    }
    return true;
  }

  private void awaitFolderEqualsHead(WatchReplica w, String why) {
    await(why)
        .atMost(CONVERGE)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> allRunning() && w.files().equals(server.head()));
  }

  /**
   * Issue 12 item 6: renaming 12 notes and appending a line to each under a running watch of a
   * vault of 10,000 files ended the watch ("refused: this sync would delete 12 of 12 files"). Now
   * the watch keeps running, the server records 12 moves and 12 edits and no delete, the other
   * replica applies 12 moves and no delete, and nothing is held back.
   */
  @Test
  void aRenameBurstWithEditsUnderAWatchOf10000NotesIsMovedNotDeleted() throws Exception {
    long seed = 12;
    System.out.println("WatchGuardsTest seed " + seed);
    Random rnd = new Random(seed);
    Map<String, String> notes = new java.util.TreeMap<>();
    for (int i = 0; i < 10_000; i++) {
      notes.put("f" + (i % 100) + "/n" + i + ".md", "# note " + i + "\n");
    }
    String[] renamed = new String[12];
    for (int i = 0; i < renamed.length; i++) {
      renamed[i] = longNote(rnd, i);
      notes.put("Topics/topic " + i + ".md", renamed[i]);
    }
    long t0 = System.nanoTime();
    twoReplicas(notes);
    long t1 = System.nanoTime();
    WatchReplica a = watchers.get(0);
    WatchReplica b = watchers.get(1);
    a.start(1, WatchOptions.DEFAULTS);
    b.start(2, WatchOptions.DEFAULTS);
    long t2 = System.nanoTime();
    System.out.printf(
        "10,000 notes: init + copy %d ms, two watches connected in %d ms%n",
        (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    long seq0 = server.headSeq();

    for (int i = 0; i < renamed.length; i++) {
      Path from = a.dir.resolve("Topics/topic " + i + ".md");
      Path to = a.dir.resolve("Topics/Subject " + i + ".md");
      Files.move(from, to);
      Files.writeString(to, renamed[i] + "- renamed from [[topic " + i + "]]\n");
    }

    await("12 renames on the server")
        .atMost(CONVERGE)
        .until(
            () ->
                allRunning()
                    && server.head().keySet().stream().filter(p -> p.contains("Subject")).count()
                        == 12
                    && server.head().keySet().stream().noneMatch(p -> p.contains("topic ")));
    awaitFolderEqualsHead(b, "b has the renames");
    awaitFolderEqualsHead(a, "a equals the head");
    System.out.printf("12 renames reached b in %d ms%n", (System.nanoTime() - t2) / 1_000_000);

    List<Change> changes = server.changesSince(seq0);
    assertThat(changes).noneMatch(c -> c.op() == Change.Op.DELETE);
    assertThat(changes).filteredOn(c -> c.op() == Change.Op.MOVE).hasSize(12);
    assertThat(a.running).as("a's watch keeps running").isNotDone();
    assertThat(b.running).as("b's watch keeps running").isNotDone();
    assertThat(b.moved()).isEqualTo(12);
    assertThat(b.deleted()).isZero();
    assertThat(a.deleted()).isZero();
    assertThat(a.lastNotSynced()).isEmpty();
    assertThat(b.lastNotSynced()).isEmpty();
  }

  /**
   * Issue 12 items 6 and 7: deleting 12 of 30 files (40%) under a running watch is held back (the
   * server keeps them, the other device keeps them) while a note written in the same cycle is
   * uploaded; the held-back list is reported once; the watch goes on syncing later edits; a
   * one-shot {@code sync --allow-mass-delete} then confirms the deletes, which the other device's
   * watch applies without holding them back, and the list is reported empty.
   */
  @Test
  void deletesTheGuardRefusesAreHeldBackWhileTheRestOfTheCycleSyncsAndTheWatchGoesOn()
      throws Exception {
    Map<String, String> notes = new java.util.TreeMap<>();
    for (int i = 0; i < 30; i++) {
      notes.put(String.format("Notes/n%02d.md", i), "note " + i + "\n");
    }
    twoReplicas(notes);
    WatchReplica a = watchers.get(0);
    WatchReplica b = watchers.get(1);
    // A long debounce so the 12 deletes and the new note land in one cycle.
    a.start(1, WatchOptions.DEFAULTS.withDebounce(Duration.ofMillis(700)));
    b.start(2, WatchOptions.DEFAULTS);

    for (int i = 0; i < 12; i++) {
      Files.delete(a.dir.resolve(String.format("Notes/n%02d.md", i)));
    }
    a.write("Notes/new.md", "written in the same cycle\n");

    await("the new note is uploaded")
        .atMost(CONVERGE)
        .until(() -> allRunning() && server.head().containsKey("Notes/new.md"));
    await("a reports the held-back deletes")
        .atMost(CONVERGE)
        .until(() -> allRunning() && a.lastNotSynced().size() == 12);
    assertThat(a.lastNotSynced())
        .allMatch(n -> n.kind() == NotSynced.Kind.HELD_BACK)
        .anyMatch(n -> n.path().equals("Notes/n00.md"));
    assertThat(server.head()).containsKey("Notes/n00.md").hasSize(31);
    assertThat(a.running).as("a's watch keeps running").isNotDone();

    a.write("Notes/n20.md", "note 20, edited later\n");
    await("a later edit is still synced")
        .atMost(CONVERGE)
        .until(() -> Files.readString(b.dir.resolve("Notes/n20.md")).contains("edited later"));
    assertThat(b.dir.resolve("Notes/n00.md")).exists();
    assertThat(a.notSyncedReports.stream().filter(l -> l.size() == 12)).hasSize(1);

    try (VaultTransport t =
        new GrpcConnector()
            .connect(server.uri(), Files.readString(a.dir.resolve(".vaultsync/token")).strip())) {
      SyncReport confirmed =
          new Syncer(t, Clock.systemDefaultZone()).sync(a.dir, SyncOptions.ALLOW_MASS_DELETE);
      assertThat(confirmed.deleted()).isEqualTo(12);
    }
    assertThat(server.head()).doesNotContainKey("Notes/n00.md").hasSize(19);
    awaitFolderEqualsHead(b, "b applies the confirmed deletes");
    await("a's list is empty again").atMost(CONVERGE).until(() -> a.lastNotSynced().isEmpty());
    assertThat(b.lastNotSynced()).isEmpty();
    assertThat(a.running).isNotDone();
    assertThat(b.running).isNotDone();
  }
}
