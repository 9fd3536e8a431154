package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.VaultName;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 4's catch-up test over the real server (SQLite ledger, pack store, master folder) and gRPC
 * on 127.0.0.1 port 0: client A stops; client B works for a while (edits, deletes, moves, a folder
 * rename, new notes) with snapshots between; the ledger is compacted past A's seq (as {@code
 * vaultsync server compact} does, beside the running server); the server restarts; A, which has
 * local edits of its own, syncs from the snapshot plus the ledger tail. Every replica then equals
 * the master folder, no file B deleted comes back, and A's edits are kept.
 */
class CompactedCatchUpTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4L, 20261126L})
  @Timeout(180)
  void clientBehindTheCompactedHorizonConvergesExactlyAndKeepsItsLocalEdits(long seed)
      throws Exception {
    System.out.println("CompactedCatchUpTest seed=" + seed);
    Random rnd = new Random(seed);
    Path data = tmp.resolve("server");
    Set<String> touchedByB = new TreeSet<>();
    Set<String> deletedByB = new TreeSet<>();
    long aSeq;
    try (LoopbackEndToEndTest.LoopbackServer server =
        new LoopbackEndToEndTest.LoopbackServer(data)) {
      Replica a = new Replica(tmp.resolve("a"), "A", server.connect("A"));
      Replica b = new Replica(tmp.resolve("b"), "B", server.connect("B"));
      for (String folder : List.of("Projects/alpha", "Projects/beta", "Daily")) {
        for (int i = 0; i < 8; i++) {
          a.write(folder + "/n" + i + ".md", "# " + folder + " " + i + "\n" + rnd.nextLong());
        }
      }
      a.write("Inbox.md", "- first idea\n");
      a.init();
      b.cloneVault();
      aSeq = StateFolder.of(a.dir).readIndex().lastSeq();

      // A is stopped; B works for a while.
      for (int round = 0; round < 6; round++) {
        List<String> files = new ArrayList<>(b.files().keySet());
        for (int k = 0; k < 3; k++) {
          String p = files.get(rnd.nextInt(files.size()));
          if (b.exists(p)) {
            b.write(p, b.read(p) + "\nedit by B in round " + round + " " + rnd.nextInt());
            touchedByB.add(p);
          }
        }
        String del = files.get(rnd.nextInt(files.size()));
        if (b.exists(del) && !del.startsWith("Projects/alpha/")) {
          Files.delete(b.dir.resolve(del));
          deletedByB.add(del);
          touchedByB.add(del);
        }
        String mv = files.get(rnd.nextInt(files.size()));
        if (b.exists(mv) && !mv.startsWith("Projects/alpha/")) {
          String to = mv.replace(".md", "-moved" + round + ".md");
          Files.move(b.dir.resolve(mv), b.dir.resolve(to));
          touchedByB.add(mv);
          touchedByB.add(to);
        }
        b.write("B/new" + round + ".md", "new note " + round + " " + rnd.nextLong());
        if (round == 2) { // a folder rename: Projects/alpha -> Archive/alpha
          Files.createDirectories(b.dir.resolve("Archive"));
          Files.move(b.dir.resolve("Projects/alpha"), b.dir.resolve("Archive/alpha"));
          for (String p : files) {
            if (p.startsWith("Projects/alpha/")) {
              touchedByB.add(p);
            }
          }
        }
        b.sync();
        if (round == 1 || round == 4) {
          b.wire.snapshot(Replica.VAULT, true);
        }
      }
      assertThat(b.files()).isEqualTo(server.masterCopy()); // also: everything is mirrored

      long horizon;
      // As 'vaultsync server compact' does it: another connection, beside the running server.
      try (ServerData.LedgerDatabase db = ServerData.openLedger(data)) {
        Compaction c = db.snapshots().compact(VaultName.of(Replica.VAULT), null);
        horizon = c.horizonAfter();
      }
      assertThat(horizon).as("compacted past A's seq %d", aSeq).isGreaterThan(aSeq);
    }

    // The server restarts (its memory of recent changes is gone), then A comes back.
    try (LoopbackEndToEndTest.LoopbackServer server =
        new LoopbackEndToEndTest.LoopbackServer(data)) {
      Replica a = new Replica(tmp.resolve("a"), "A", server.connect("A2"));
      Replica b = new Replica(tmp.resolve("b"), "B", server.connect("B2"));

      // A's own edits while it was away.
      List<String> untouched = new ArrayList<>(a.files().keySet());
      untouched.removeAll(touchedByB);
      assertThat(untouched).hasSizeGreaterThan(2);
      String editedByA = untouched.get(0);
      String deletedByA = untouched.get(1);
      a.write(editedByA, a.read(editedByA) + "\nA's edit");
      Files.delete(a.dir.resolve(deletedByA));
      a.write("FromA.md", "written on A while away");
      String editedByADeletedByB = deletedByB.isEmpty() ? null : deletedByB.iterator().next();
      if (editedByADeletedByB != null) {
        a.write(editedByADeletedByB, "A edited what B deleted");
      }
      Map<String, ContentHash> aEdits = a.files();

      a.resetWire();
      // B deleted many files while A was away: the mass-delete guard would rightly ask first.
      a.sync(SyncOptions.ALLOW_MASS_DELETE);
      assertThat(a.wire.snapshotManifestCalls()).as("caught up from a snapshot").isEqualTo(1);
      assertThat(a.wire.manifestCalls()).as("no whole-manifest fallback").isZero();
      b.sync();
      a.sync();

      Map<String, ContentHash> master = server.masterCopy();
      assertThat(a.files()).isEqualTo(master);
      assertThat(b.files()).isEqualTo(master);
      for (String gone : deletedByB) {
        if (!gone.equals(editedByADeletedByB)) {
          assertThat(master).as("deleted by B, must not come back").doesNotContainKey(gone);
        }
      }
      assertThat(master).doesNotContainKey(deletedByA);
      assertThat(master.get(editedByA)).isEqualTo(aEdits.get(editedByA));
      assertThat(master.get("FromA.md")).isEqualTo(aEdits.get("FromA.md"));
      if (editedByADeletedByB != null) {
        assertThat(master.get(editedByADeletedByB))
            .as("an edit beats a delete")
            .isEqualTo(aEdits.get(editedByADeletedByB));
      }
      assertThat(master.keySet()).noneMatch(p -> p.startsWith("Projects/alpha/"));
      assertThat(master.keySet()).anyMatch(p -> p.startsWith("Archive/alpha/"));
      assertThat(new Verifier(a.wire).verify(a.dir).inSync()).isTrue();
      assertThat(new String(Files.readAllBytes(a.dir.resolve("FromA.md")), StandardCharsets.UTF_8))
          .isEqualTo("written on A while away");
    }
  }
}
