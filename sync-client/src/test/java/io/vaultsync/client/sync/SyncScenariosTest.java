package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncScenariosTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  private Replica a() {
    return new Replica(tmp.resolve("a"), "laptop", server);
  }

  private Replica b() {
    return new Replica(tmp.resolve("b"), "phone", server);
  }

  private static String lines(int n, String prefix) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sb.append(prefix).append(" line ").append(i).append('\n');
    }
    return sb.toString();
  }

  /** The vault both replicas start from: two notes and a binary file. */
  private static void vault(Replica a) throws IOException {
    a.write("Daily/2026-11-26.md", lines(40, "day"));
    a.write("Ideas.md", lines(10, "idea"));
    a.write("img/pic.bin", new byte[] {0, 1, 2, 3, 4, 5});
  }

  private Replica[] pair() throws Exception {
    Replica[] r = Replica.pair(tmp, server, SyncScenariosTest::vault);
    assertThat(r[1].files()).isEqualTo(r[0].files());
    return r;
  }

  /** A temp file left by an interrupted run is removed by the next sync and never uploaded. */
  @Test
  void leftoverTempFilesAreRemovedAndNeverUploaded() throws Exception {
    Replica[] r = pair();
    r[0].write("Daily/.vstmp-1234-2026-11-26.md", "half of a download\n");
    SyncReport rep = r[0].sync();
    assertThat(rep.filesUp()).isZero();
    assertThat(r[0].exists("Daily/.vstmp-1234-2026-11-26.md")).isFalse();
    assertThat(Replica.serverFiles(server)).doesNotContainKey("Daily/.vstmp-1234-2026-11-26.md");
  }

  /** Two syncs of one folder never run at once: the second is refused, naming the folder. */
  @Test
  void secondSyncOfTheSameFolderIsRefusedWhileOneRuns() throws Exception {
    Replica[] r = pair();
    try (AutoCloseable held = io.vaultsync.client.state.StateFolder.of(r[0].dir).lock()) {
      org.assertj.core.api.Assertions.assertThatThrownBy(r[0]::sync)
          .isInstanceOf(java.io.IOException.class)
          .hasMessageContaining("another vaultsync command is syncing");
    }
    r[0].write("Ideas.md", "after the lock\n");
    assertThat(r[0].sync().filesUp()).isEqualTo(1);
  }

  @Test
  void initCloneEditSyncConverges() throws Exception {
    Replica[] r = pair();
    r[0].write("Ideas.md", lines(10, "idea").replace("idea line 3", "idea line three"));
    r[0].sync();
    SyncReport down = r[1].sync();
    assertThat(down.filesDown()).isEqualTo(1);
    assertThat(r[1].read("Ideas.md")).contains("idea line three");
    assertThat(r[1].files()).isEqualTo(r[0].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void editsOfDifferentLinesMergeCleanlyOnBothSides() throws Exception {
    Replica[] r = pair();
    String base = lines(40, "day");
    r[0].write("Daily/2026-11-26.md", base.replace("day line 2\n", "day line 2 by A\n"));
    r[1].write("Daily/2026-11-26.md", base.replace("day line 30\n", "day line 30 by B\n"));
    r[0].sync();
    SyncReport rb = r[1].sync();
    r[0].sync();
    assertThat(rb.merged()).isEqualTo(1);
    assertThat(rb.conflictCopies()).isEmpty();
    for (Replica x : r) {
      assertThat(x.read("Daily/2026-11-26.md"))
          .contains("day line 2 by A\n")
          .contains("day line 30 by B\n");
    }
    assertThat(r[0].files()).isEqualTo(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void editsOfTheSameLineKeepBothVersionsEverywhere() throws Exception {
    Replica[] r = pair();
    String base = lines(10, "idea");
    r[0].write("Ideas.md", base.replace("idea line 5", "idea line 5 A"));
    r[1].write("Ideas.md", base.replace("idea line 5", "idea line 5 B"));
    r[0].sync();
    SyncReport rb = r[1].sync();
    r[0].sync();
    assertThat(rb.conflictCopies()).hasSize(1);
    String copy = rb.conflictCopies().get(0).value();
    assertThat(copy).matches("Ideas \\(conflict phone \\d{4}-\\d\\d-\\d\\d \\d{6}\\)\\.md");
    for (Replica x : r) {
      assertThat(x.read("Ideas.md")).contains("idea line 5 A");
      assertThat(x.read(copy)).contains("idea line 5 B");
    }
    assertThat(r[0].files()).isEqualTo(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void binaryChangedOnBothSidesKeepsBoth() throws Exception {
    Replica[] r = pair();
    r[0].write("img/pic.bin", new byte[] {9, 9, 9});
    r[1].write("img/pic.bin", new byte[] {7, 7, 7, 7});
    r[0].sync();
    SyncReport rb = r[1].sync();
    r[0].sync();
    assertThat(rb.conflictCopies()).hasSize(1);
    String copy = rb.conflictCopies().get(0).value();
    assertThat(copy).startsWith("img/pic (conflict phone ").endsWith(").bin");
    for (Replica x : r) {
      assertThat(Files.readAllBytes(x.dir.resolve("img/pic.bin"))).containsExactly(9, 9, 9);
      assertThat(Files.readAllBytes(x.dir.resolve(copy))).containsExactly(7, 7, 7, 7);
    }
    assertThat(r[0].files()).isEqualTo(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void deleteOnOneSideAndEditOnTheOtherKeepsTheEdit() throws Exception {
    Replica[] r = pair();
    Files.delete(r[0].dir.resolve("Ideas.md"));
    r[1].write("Ideas.md", "edited on B\n");
    r[0].sync();
    r[1].sync();
    r[0].sync();
    for (Replica x : r) {
      assertThat(x.read("Ideas.md")).isEqualTo("edited on B\n");
    }
    // And the other way round: edited here, deleted there.
    r[0].write("Ideas.md", "edited on A\n");
    Files.delete(r[1].dir.resolve("Ideas.md"));
    r[1].sync();
    r[0].sync();
    r[1].sync();
    for (Replica x : r) {
      assertThat(x.read("Ideas.md")).isEqualTo("edited on A\n");
    }
    assertThat(r[0].files()).isEqualTo(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void moveIsSentAsMoveNotAsContent() throws Exception {
    Replica[] r = pair();
    Files.createDirectories(r[0].dir.resolve("Archive"));
    Files.move(r[0].dir.resolve("Ideas.md"), r[0].dir.resolve("Archive/Ideas.md"));
    CountingTransport wa = r[0].resetWire();
    r[0].sync();
    assertThat(wa.moves()).isEqualTo(1);
    assertThat(wa.puts()).isZero();
    assertThat(wa.pushCalls()).isZero();
    CountingTransport wb = r[1].resetWire();
    SyncReport rb = r[1].sync();
    assertThat(rb.moved()).isEqualTo(1);
    assertThat(wb.fetchCalls()).isZero();
    assertThat(r[1].exists("Archive/Ideas.md")).isTrue();
    assertThat(r[1].exists("Ideas.md")).isFalse();
    assertThat(r[0].files()).isEqualTo(r[1].files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void folderRenameIsOneFolderMoveAndNoContent() throws Exception {
    Replica a = a();
    Files.createDirectories(a.dir);
    for (int i = 0; i < 50; i++) {
      a.write("Projects/p" + i + ".md", lines(5, "p" + i));
    }
    a.init();
    Replica b = b();
    b.cloneVault();
    Files.move(a.dir.resolve("Projects"), a.dir.resolve("Done"));
    CountingTransport wa = a.resetWire();
    a.sync();
    CountingTransport wb = b.resetWire();
    b.sync();
    assertThat(wa.moves()).as("one MoveFolder for the 50 notes (issue 16)").isEqualTo(1);
    assertThat(wa.puts() + wa.pushCalls() + wb.fetchCalls()).isZero();
    long bytes = wa.bytesSent() + wa.bytesReceived() + wb.bytesSent() + wb.bytesReceived();
    System.out.println("folder rename of 50 notes: " + bytes + " bytes on the wire");
    assertThat(bytes).isLessThanOrEqualTo(2_000);
    assertThat(Files.exists(b.dir.resolve("Projects"))).isFalse();
    assertThat(b.files()).isEqualTo(a.files()).isEqualTo(Replica.serverFiles(server));
  }

  @Test
  void noOpSyncIsOneChangesSinceCallAndNoRead() throws Exception {
    Replica[] r = pair();
    r[0].sync();
    CountingTransport w = r[0].resetWire();
    SyncReport rep = r[0].sync();
    assertThat(w.changesSinceCalls()).isEqualTo(1);
    assertThat(w.manifestCalls() + w.fetchCalls() + w.pushCalls() + w.commitCalls()).isZero();
    assertThat(rep.bytesSent() + rep.bytesReceived()).isLessThanOrEqualTo(1_000);
    var index = io.vaultsync.client.state.StateFolder.of(r[0].dir).readIndex();
    var scan = LocalScan.scan(r[0].dir.toRealPath(), index.manifest(), false);
    assertThat(scan.filesHashed()).isZero();
  }

  @Test
  void oneLineEditInLargeVaultCostsLittle() throws Exception {
    long seed = new Random().nextLong();
    System.out.println("oneLineEditInLargeVaultCostsLittle seed=" + seed);
    Random rnd = new Random(seed);
    Replica a = a();
    Files.createDirectories(a.dir);
    for (int i = 0; i < 2000; i++) {
      a.write("n/" + (i % 20) + "/note" + i + ".md", lines(20 + rnd.nextInt(60), "n" + i));
    }
    a.init();
    Replica b = b();
    b.cloneVault();
    String before = a.read("n/7/note7.md");
    a.write("n/7/note7.md", before.replace("n7 line 3\n", "n7 line 3 edited\n"));
    CountingTransport wa = a.resetWire();
    a.sync();
    CountingTransport wb = b.resetWire();
    b.sync();
    long bytes = wa.bytesSent() + wa.bytesReceived() + wb.bytesSent() + wb.bytesReceived();
    System.out.println("one-line edit: " + bytes + " bytes on the wire");
    assertThat(bytes).isLessThanOrEqualTo(2_000);
    assertThat(b.read("n/7/note7.md")).contains("n7 line 3 edited");
  }

  @Test
  void fileChangingWhileReadIsNotUploaded() throws Exception {
    Replica[] r = pair();
    // Simulate the scan's verdict: the planner gets a scan listing the file as unstable.
    r[0].write("Ideas.md", "half written");
    var state = io.vaultsync.client.state.StateFolder.of(r[0].dir);
    var index = state.readIndex();
    var scan = LocalScan.scan(r[0].dir.toRealPath(), index.manifest(), false);
    var unstable =
        new io.vaultsync.model.tree.ScanResult(
            io.vaultsync.model.tree.Manifest.of(
                scan.manifest().entries().stream()
                    .filter(e -> !e.path().value().equals("Ideas.md"))
                    .toList()),
            List.of(),
            List.of(io.vaultsync.model.tree.NotePath.of("Ideas.md")),
            0,
            0,
            0);
    var plan =
        SyncPlanner.plan(index, unstable, RemoteView.fold(index, List.of(), index.lastSeq()));
    assertThat(plan.actions())
        .containsExactly(
            new SyncAction.Skip(
                io.vaultsync.model.tree.NotePath.of("Ideas.md"), "changed while being read"));
    // And the executor's own guard: an upload whose bytes differ from the scanned hash is refused.
    Transfers t =
        new Transfers(new SafeFiles(r[0].dir.toRealPath(), state.tempDir()), state.tempDir());
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                t.prepareUpload(
                    io.vaultsync.model.tree.NotePath.of("Ideas.md"),
                    null,
                    null,
                    new Version(
                        ContentHash.digestOf("other".getBytes(StandardCharsets.UTF_8)), 12)))
        .isInstanceOf(ChangedMeanwhileException.class);
    assertThat(Replica.serverFiles(server).get("Ideas.md"))
        .isNotEqualTo(ContentHash.digestOf("half written".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void symlinkPointingOutsideIsNeverFollowedOrWrittenThrough() throws Exception {
    Replica[] r = pair();
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.md"), "secret\n");
    Files.createSymbolicLink(r[1].dir.resolve("link"), outside);
    Files.createSymbolicLink(r[1].dir.resolve("filelink.md"), outside.resolve("secret.md"));
    r[1].sync();
    assertThat(Replica.serverFiles(server)).doesNotContainKeys("link/secret.md", "filelink.md");
    // A remote file under the link's name must not be written through the link.
    r[0].write("link/new.md", "through the link?\n");
    r[0].write("filelink.md", "over the link?\n");
    r[0].sync();
    SyncReport rb = r[1].sync();
    assertThat(rb.notSynced()).hasSize(2);
    try (Stream<Path> s = Files.list(outside)) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("secret.md");
    }
    assertThat(Files.readString(outside.resolve("secret.md"))).isEqualTo("secret\n");
  }

  @Test
  void statusPrintsThePlanAndChangesNothing() throws Exception {
    Replica[] r = pair();
    r[0].write("New.md", "new\n");
    r[0].sync();
    r[1].write("Ideas.md", "changed\n");
    var before = r[1].files();
    byte[] indexBefore = Files.readAllBytes(r[1].dir.resolve(".vaultsync/index"));
    SyncPlan plan = r[1].status();
    assertThat(plan.lines())
        .containsExactlyInAnyOrder("download new New.md", "upload       Ideas.md");
    assertThat(r[1].files()).isEqualTo(before);
    assertThat(Files.readAllBytes(r[1].dir.resolve(".vaultsync/index"))).isEqualTo(indexBefore);
    assertThat(Replica.serverFiles(server))
        .doesNotContainEntry(
            "Ideas.md", ContentHash.digestOf("changed\n".getBytes(StandardCharsets.UTF_8)));
  }
}
