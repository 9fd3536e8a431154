package io.vaultsync.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The live path: a watcher over real folders, triggering real reconciles. */
class MasterWatcherTest {
  @TempDir Path dir;

  /** What {@link #target} passes for a request to reconcile every vault. */
  private static final String ALL = "*";

  /** Takes the name of the folder whose vault a reconcile is asked for, or {@link #ALL}. */
  private interface Request {
    void take(String folderOrAll) throws IOException;
  }

  /** A watcher's target that hands each reconcile it is asked for to {@code request}. */
  private static MasterWatcher.Target target(Request request) {
    return new MasterWatcher.Target() {
      @Override
      public void reconcile(String folderName) throws IOException {
        request.take(folderName);
      }

      @Override
      public void reconcileAll() throws IOException {
        request.take(ALL);
      }
    };
  }

  @Test
  void fileWrittenAndDeletedInTheMasterFolderBecomePutAndDeleteByServerDisk() throws IOException {
    try (ServerData data = ServerData.open(dir, Clock.systemUTC());
        MasterWatcher watcher =
            new MasterWatcher(
                ServerData.vaultsRoot(dir),
                target(
                    folder -> {
                      if (folder.equals(ALL)) {
                        data.reconciler().reconcileAll();
                      } else {
                        data.reconciler().reconcile(VaultName.of(folder));
                      }
                    }),
                Duration.ofMillis(50))) {
      data.vaults().createVault("notes");
      watcher.start();
      Path file = ServerData.vaultsRoot(dir).resolve("notes/Inbox/idea.md");
      Files.createDirectories(file.getParent());
      Files.writeString(file, "an idea\n");

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> data.vaults().changesSince("notes", 0, 10).changes().size() == 1);
      Change put = data.vaults().changesSince("notes", 0, 10).changes().get(0);
      assertThat(put.op()).isEqualTo(Change.Op.PUT);
      assertThat(put.device()).isEqualTo(TokenStore.SERVER_DEVICE);

      Files.delete(file);
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> data.vaults().changesSince("notes", 0, 10).changes().size() == 2);
      ChangePage page = data.vaults().changesSince("notes", 0, 10);
      assertThat(page.changes().get(1).op()).isEqualTo(Change.Op.DELETE);
    }
  }

  /**
   * The server's own writes to a master folder do not make the watcher ask for a reconcile (a
   * reconcile rescans the whole vault; asking after every own write made a first upload of 10,000
   * notes CPU-bound on rescans). A foreign write to another vault is the barrier: it is drained in
   * the same pass as any pending request, so once it is seen, an own-write request would have been
   * seen too.
   */
  @Test
  void ownWritesDoNotTriggerReconcilesButForeignWritesDo() throws Exception {
    java.util.List<String> requested = new java.util.concurrent.CopyOnWriteArrayList<>();
    try (ServerData data = ServerData.open(dir, Clock.systemUTC());
        MasterWatcher watcher =
            new MasterWatcher(
                ServerData.vaultsRoot(dir),
                target(requested::add),
                Duration.ofMillis(50),
                data.vaults().ownWrites())) {
      data.vaults().createVault("own");
      data.vaults().createVault("foreign");
      watcher.start();
      io.vaultsync.protocol.Mutation put =
          new io.vaultsync.protocol.Mutation.Put(
              io.vaultsync.model.tree.NotePath.of("Deep/Folder/note.md"),
              null,
              literalDelta("written by a client\n"));
      data.vaults().commit("own", java.util.List.of(put), "laptop");
      data.vaults().awaitMirrored("own");
      assertThat(ServerData.vaultsRoot(dir).resolve("own/Deep/Folder/note.md")).exists();

      Files.writeString(ServerData.vaultsRoot(dir).resolve("foreign/x.md"), "by another program\n");
      await().atMost(Duration.ofSeconds(10)).until(() -> requested.contains("foreign"));
      assertThat(requested).doesNotContain("own", "*");
    }
  }

  /** A delta from nothing to {@code text}. */
  private static byte[] literalDelta(String text) throws IOException {
    byte[] target = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    io.vaultsync.core.delta.DeltaEncoder e =
        new io.vaultsync.core.delta.DeltaEncoder(
            io.vaultsync.core.signature.SignatureBuilder.of(
                new byte[0], io.vaultsync.core.signature.SignatureParams.forBasisLength(0)),
            new io.vaultsync.core.format.DeltaWriter(out));
    e.update(target, 0, target.length);
    e.finish();
    return out.toByteArray();
  }
}
