package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Restores against the real server (SQLite history, pack store, master folder) over loopback gRPC:
 * the vault restored to a seq equals the server's own manifest at that seq, on the server, in its
 * master folder and on another device after a sync.
 */
class RestoreLoopbackTest {
  @TempDir Path tmp;

  @Test
  @Timeout(120)
  void restoringTheVaultAndADeletedFileOverGrpcMatchesTheServersHistory() throws Exception {
    try (LoopbackEndToEndTest.LoopbackServer server =
        new LoopbackEndToEndTest.LoopbackServer(tmp.resolve("server"))) {
      Replica a = new Replica(tmp.resolve("a"), "laptop", server.connect("laptop"));
      Files.createDirectories(a.dir);
      for (int i = 0; i < 12; i++) {
        a.write("notes/n" + i + ".md", "note " + i + "\n");
      }
      a.init();
      long at = a.server.manifest(Replica.VAULT).headSeq();
      for (int i = 0; i < 3; i++) {
        a.write("notes/n" + i + ".md", "edited " + i + "\n");
      }
      for (int i = 3; i < 7; i++) {
        a.delete("notes/n" + i + ".md");
      }
      Files.move(a.dir.resolve("notes/n7.md"), a.dir.resolve("n7-moved.md"));
      for (int i = 0; i < 5; i++) {
        a.write("later/l" + i + ".md", "later " + i + "\n");
      }
      a.sync(SyncOptions.ALLOW_MASS_DELETE);
      Replica b = new Replica(tmp.resolve("b"), "desktop", server.connect("desktop"));
      b.cloneVault();

      Restorer restorer = new Restorer(b.wire, Clock.systemUTC());
      RestorePlan plan = restorer.planAll(b.dir, at);
      assertThat(plan.bringBack()).hasSize(5); // n3..n6, n7
      assertThat(plan.change()).hasSize(3);
      assertThat(plan.delete()).hasSize(6); // l0..l4, n7-moved
      restorer.restoreAll(b.dir, at);

      Map<String, ContentHash> then = PathHashes.of(b.server.manifestAt(Replica.VAULT, at));
      assertThat(then).hasSize(12);
      assertThat(PathHashes.of(b.server.manifest(Replica.VAULT))).isEqualTo(then);
      assertThat(server.masterCopy()).isEqualTo(then);
      assertThat(b.files()).isEqualTo(then);
      a.sync();
      assertThat(a.files()).isEqualTo(then);
      assertThat(restorer.restoreAll(b.dir, at).report()).isNull(); // again: nothing to do

      // A file deleted again is restored from its last version; history shows every step.
      a.delete("notes/n0.md");
      a.sync();
      long deleted = a.server.manifest(Replica.VAULT).headSeq();
      b.sync();
      Restorer.FileRestore r = restorer.restoreFile(b.dir, NotePath.of("notes/n0.md"), deleted);
      assertThat(r.changed()).isTrue();
      assertThat(r.version().op()).isEqualTo(Change.Op.DELETE);
      assertThat(b.read("notes/n0.md")).isEqualTo("note 0\n");
      assertThat(a.server.history(Replica.VAULT, NotePath.of("notes/n0.md"), Long.MAX_VALUE, 10))
          .extracting(Change::op)
          .containsExactly(
              Change.Op.PUT, Change.Op.DELETE, Change.Op.PUT, Change.Op.PUT, Change.Op.PUT);
    }
  }
}
