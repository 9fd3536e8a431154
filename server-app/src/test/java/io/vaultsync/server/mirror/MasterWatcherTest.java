package io.vaultsync.server.mirror;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.core.transport.Change;
import io.vaultsync.core.transport.ChangePage;
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

  @Test
  void fileWrittenAndDeletedInTheMasterFolderBecomePutAndDeleteByServerDisk() throws IOException {
    try (ServerData data = ServerData.open(dir, Clock.systemUTC());
        MasterWatcher watcher =
            new MasterWatcher(
                ServerData.vaultsRoot(dir),
                new MasterWatcher.Target() {
                  @Override
                  public void reconcile(String folderName) throws IOException {
                    data.reconciler().reconcile(VaultName.of(folderName));
                  }

                  @Override
                  public void reconcileAll() throws IOException {
                    data.reconciler().reconcileAll();
                  }
                },
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
}
