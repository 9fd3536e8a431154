package io.vaultsync.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an app that embeds client sync writes (the example of README "Embedding client sync"): two
 * folders kept in sync through the in-memory server, with nothing but sync-client and protocol on
 * the class path (no CLI, no server, no gRPC).
 */
class EmbeddingExampleTest {
  @TempDir Path tmp;

  @Test
  void twoFoldersSyncThroughAnInMemoryServerWithTheLibraryAlone() throws Exception {
    try (InProcessVaultTransport server = new InProcessVaultTransport()) {
      VaultSync sync = VaultSync.builder(RemoteConnector.sharing(server)).build();
      URI url = URI.create("inprocess://notes");
      Path laptop = Files.createDirectories(tmp.resolve("laptop"));
      Path phone = tmp.resolve("phone");
      Files.writeString(laptop.resolve("todo.md"), "- buy milk\n");

      sync.init(laptop, new RemoteVault(url, "notes", "laptop", "token-1"));
      sync.cloneInto(phone, new RemoteVault(url, "notes", "phone", "token-2"));
      assertThat(phone.resolve("todo.md")).hasContent("- buy milk");

      Files.writeString(phone.resolve("todo.md"), "- buy milk\n- call Ada\n");
      Files.writeString(phone.resolve("ideas.md"), "sync as a library\n");
      SyncReport up = sync.sync(phone);
      SyncReport down = sync.sync(laptop);

      assertThat(up.filesUp()).isEqualTo(2);
      assertThat(down.filesDown()).isEqualTo(2);
      assertThat(down.seq()).isEqualTo(up.seq());
      assertThat(laptop.resolve("todo.md")).hasContent("- buy milk\n- call Ada");
      assertThat(laptop.resolve("ideas.md")).hasContent("sync as a library");
      assertThat(sync.sync(laptop).filesDown()).isZero(); // nothing left to do
    }
  }
}
