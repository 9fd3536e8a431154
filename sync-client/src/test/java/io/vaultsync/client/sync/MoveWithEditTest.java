package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 8: a rename with a small edit (what Obsidian does when a rename updates links)
 * travels as a move plus a delta, on the way up (similarity against the kept signature) and on the
 * way down (the change feed's MOVE then PUT), never as a delete and a whole upload or download.
 */
class MoveWithEditTest {
  private static final int NOTES = 200;
  private static final int RENAMED = 46;

  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport(Clock.systemUTC());

  /** About 2 KB of text per note, different for each note. */
  private static String body(Random rnd, int i) {
    StringBuilder sb = new StringBuilder("# Note " + i + "\n\n");
    while (sb.length() < 2048) {
      sb.append("Line ").append(rnd.nextLong()).append(" about [[topic ").append(i).append("]]\n");
    }
    return sb.toString();
  }

  @Test
  void fortySixRenamesWithASmallEditTravelAsMovesAndDeltasWithNoDeletes() throws Exception {
    long seed = 46;
    System.out.println("MoveWithEditTest seed " + seed);
    Random rnd = new Random(seed);
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    String[] bodies = new String[NOTES];
    for (int i = 0; i < NOTES; i++) {
      bodies[i] = body(rnd, i);
      a.write("Notes/n" + i + ".md", bodies[i]);
    }
    a.init();
    Replica b = new Replica(tmp.resolve("b"), "desktop", server);
    b.cloneVault();
    long seq0 = server.changesSince(Replica.VAULT, 0, 1).headSeq();

    for (int i = 0; i < RENAMED; i++) {
      a.delete("Notes/n" + i + ".md");
      String folder = i % 2 == 0 ? "Notes/" : "Archive/";
      a.write(folder + "renamed " + i + ".md", bodies[i] + "see [[renamed " + i + "]]\n");
    }
    CountingTransport up = a.resetWire();
    SyncReport pushed = a.sync();

    List<Change> changes = server.changesSince(Replica.VAULT, seq0, 1000).changes();
    assertThat(changes).noneMatch(c -> c.op() == Change.Op.DELETE);
    assertThat(changes).filteredOn(c -> c.op() == Change.Op.MOVE).hasSize(RENAMED);
    assertThat(changes).filteredOn(c -> c.op() == Change.Op.PUT).hasSize(RENAMED);
    assertThat(up.deletes()).isZero();
    assertThat(up.moves()).isEqualTo(RENAMED);
    assertThat(pushed.deleted()).isZero();
    assertThat(pushed.moved()).isEqualTo(RENAMED);
    // 46 whole notes are ~94 KB; 46 deltas of one appended line and a few copies are far less.
    assertThat(up.bytesSent()).as("bytes sent").isLessThan(RENAMED * 2048 / 4);

    CountingTransport down = b.resetWire();
    SyncReport pulled = b.sync();
    assertThat(pulled.deleted()).isZero();
    assertThat(pulled.moved()).isEqualTo(RENAMED);
    assertThat(down.bytesReceived()).as("bytes received").isLessThan(RENAMED * 2048 / 4);
    System.out.printf(
        "46 renames with an edit: %d B sent up, %d B received down (the notes: %d B)%n",
        up.bytesSent(), down.bytesReceived(), (long) RENAMED * 2048);
    Map<String, ?> head = Replica.serverFiles(server);
    assertThat(b.files()).isEqualTo(head);
    assertThat(a.files()).isEqualTo(head);
    assertThat(b.read("Archive/renamed 1.md")).endsWith("see [[renamed 1]]\n");
  }
}
