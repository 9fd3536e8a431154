package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 5: a server whose head already holds a tree no client can hold (stored before the
 * server refused such trees; written straight into its ledger here): a client writes what it can,
 * names each path it cannot write, never overwrites its own state, and {@code verify} names them
 * instead of failing without saying why.
 */
class StoredClashTest {
  private static final VaultName VAULT = VaultName.of("notes");

  @TempDir Path tmp;
  private ServerData data;

  @BeforeEach
  void open() throws Exception {
    data = ServerData.open(tmp.resolve("data"), Clock.systemUTC());
    data.vaults().createVault(VAULT.value());
    storeAnyway("dir1", "a file\n");
    storeAnyway("dir1/child.md", "below a file\n");
    storeAnyway(".vaultsync/token", "someone else's token\n");
    storeAnyway("ok.md", "fine\n");
  }

  @AfterEach
  void close() throws Exception {
    data.close();
  }

  /** Writes {@code path} into the store and the ledger without the commit's checks. */
  private void storeAnyway(String path, String text) throws Exception {
    try (StagingBatch batch = data.store().newBatch()) {
      Staged s = batch.stage(out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
      batch.commit();
      data.ledger()
          .append(
              VAULT,
              data.ledger().headSeq(VAULT),
              List.of(NewChange.put(NotePath.of(path), s.hash(), s.size())),
              "old",
              Instant.now());
    }
  }

  @Test
  void cloneAndSyncNameWhatTheyCannotWriteAndVerifySaysWhy() throws Exception {
    Path dir = tmp.resolve("clone");
    VaultConfig config = new VaultConfig(URI.create("inprocess://test"), VAULT.value(), "laptop");

    SyncReport clone =
        VaultSetup.cloneInto(dir, config, "my-token", data.vaults(), Clock.systemUTC());

    assertThat(Files.readString(dir.resolve("ok.md"))).isEqualTo("fine\n");
    assertThat(Files.readString(dir.resolve("dir1"))).isEqualTo("a file\n");
    assertThat(Files.readString(dir.resolve(".vaultsync/token")).trim()).isEqualTo("my-token");
    assertThat(clone.notSynced())
        .extracting(NotSynced::path, NotSynced::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple(".vaultsync/token", NotSynced.Kind.SERVER),
            org.assertj.core.groups.Tuple.tuple("dir1/child.md", NotSynced.Kind.SERVER));
    assertThat(clone.notSynced())
        .filteredOn(n -> n.path().equals("dir1/child.md"))
        .singleElement()
        .satisfies(n -> assertThat(n.reason()).contains("a file \"dir1\"", "rename or delete"));

    // Named once per sync, every sync, until someone resolves it.
    SyncReport again = new Syncer(data.vaults(), Clock.systemUTC()).sync(dir);
    assertThat(again.notSynced()).hasSize(2);
    assertThat(again.filesDown()).isZero();

    VerifyReport verify = new Verifier(data.vaults()).verify(dir);
    assertThat(verify.inSync()).isFalse();
    assertThat(verify.notSynced())
        .extracting(NotSynced::path)
        .containsExactly(".vaultsync/token", "dir1/child.md");
  }
}
