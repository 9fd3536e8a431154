package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clones and syncs that download many files go through {@link DownloadBatch}: one {@link
 * VaultTransport#fetchMany} call per batch, durability per batch, and no partial file visible after
 * a failure at any step.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BatchedDownloadTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  /** A vault of {@code notes} small notes in nested folders plus one file too large for a batch. */
  private Replica seeded(int notes, long seed) throws IOException {
    System.out.println("seed " + seed);
    Random random = new Random(seed);
    Replica a = new Replica(tmp.resolve("a"), "laptop", server);
    Files.createDirectories(a.dir);
    for (int i = 0; i < notes; i++) {
      StringBuilder sb = new StringBuilder("# note " + i + "\n");
      for (int k = random.nextInt(40); k >= 0; k--) {
        sb.append("line ").append(random.nextLong()).append('\n');
      }
      a.write("f" + (i % 17) + "/sub" + (i % 5) + "/n" + i + ".md", sb.toString());
    }
    byte[] big = new byte[(int) DownloadBatch.MAX_FILE_BYTES + 1];
    random.nextBytes(big);
    a.write("attachments/big.bin", big);
    a.init();
    return a;
  }

  @Test
  void cloneOfManyFilesEqualsTheServerWithOneBatchedFetchPerThousandFiles() throws Exception {
    Replica a = seeded(2_500, System.nanoTime());
    Replica b = new Replica(tmp.resolve("b"), "phone", server);

    SyncReport report = b.cloneVault();

    assertThat(b.files()).isEqualTo(Replica.serverFiles(server)).hasSize(2_501);
    assertThat(report.filesDown()).isEqualTo(2_501);
    assertThat(b.wire.fetchManyCalls()).isEqualTo(3);
    assertThat(b.wire.fetchCalls()).isEqualTo(1); // the file too large for a batch
    assertThat(tempFiles(b.dir)).isEmpty();
    assertThat(b.sync().filesDown()).isZero();
    assertThat(a.files()).isEqualTo(b.files());
  }

  @Test
  void syncOfManyRemoteEditsPatchesThemAgainstTheLocalVersionsInBatches() throws Exception {
    Replica a = seeded(1_500, System.nanoTime());
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    b.cloneVault();
    long editedBytes = 0;
    for (int i = 0; i < 1_200; i++) {
      String p = "f" + (i % 17) + "/sub" + (i % 5) + "/n" + i + ".md";
      String edited = a.read(p) + "an added line\n";
      a.write(p, edited);
      editedBytes += edited.length();
    }
    a.sync();
    b.resetWire();

    SyncReport report = b.sync();

    assertThat(report.filesDown()).isEqualTo(1_200);
    assertThat(b.files()).isEqualTo(a.files()).isEqualTo(Replica.serverFiles(server));
    assertThat(b.wire.fetchManyCalls()).isEqualTo(2);
    assertThat(b.wire.fetchCalls()).isZero();
    // Deltas against the local versions, plus the ledger page: less than the whole notes.
    assertThat(b.wire.bytesReceived()).isLessThan(editedBytes * 2 / 3);
  }

  @Test
  void restoreAllOfManyFilesDownloadsThemInBatches() throws Exception {
    Replica a = seeded(1_200, System.nanoTime());
    long at = server.manifest(Replica.VAULT).headSeq();
    Map<String, ContentHash> before = Replica.serverFiles(server);
    for (int i = 0; i < 1_100; i++) {
      String p = "f" + (i % 17) + "/sub" + (i % 5) + "/n" + i + ".md";
      a.write(p, a.read(p) + "an added line\n");
    }
    a.sync();
    a.resetWire();

    new Restorer(a.wire, java.time.Clock.systemUTC()).restoreAll(a.dir, at);

    assertThat(a.files()).isEqualTo(before).isEqualTo(Replica.serverFiles(server));
    assertThat(a.wire.fetchManyCalls()).isEqualTo(2);
    assertThat(a.wire.fetchCalls()).isZero();
  }

  /**
   * A connection lost in the middle of the second batch of a clone: the first batch's files are
   * whole and recorded, nothing of the broken batch is visible (not even a temporary file), and the
   * next sync finishes the clone.
   */
  @Test
  void connectionLostInTheMiddleOfABatchLeavesNoPartialFileAndTheNextSyncFinishes()
      throws Exception {
    seeded(2_000, System.nanoTime());
    AtomicInteger calls = new AtomicInteger();
    VaultTransport failing =
        intercepting(
            server,
            (vault, items, receiver) -> {
              boolean fail = calls.incrementAndGet() == 2;
              server.fetchMany(
                  vault,
                  items,
                  new ForwardingReceiver(receiver) {
                    @Override
                    public void end(int index) throws IOException {
                      if (fail && index == 500) {
                        throw new IOException("connection lost at item 500");
                      }
                      super.end(index);
                    }
                  });
            });
    Replica b = new Replica(tmp.resolve("b"), "phone", failing);

    assertThatThrownBy(b::cloneVault).hasMessageContaining("connection lost at item 500");

    Map<String, ContentHash> onServer = Replica.serverFiles(server);
    Map<String, ContentHash> visible = b.files();
    // The large file (streamed on its own, first in path order) and the whole first batch.
    assertThat(visible).hasSize(1 + DownloadBatch.MAX_FILES);
    assertThat(onServer).containsAllEntriesOf(visible);
    assertThat(tempFiles(b.dir)).isEmpty();
    Replica resumed = new Replica(b.dir, "phone", server);
    SyncReport report = resumed.sync();
    assertThat(report.filesDown()).isEqualTo(onServer.size() - 1 - DownloadBatch.MAX_FILES);
    assertThat(resumed.files()).isEqualTo(onServer);
  }

  /**
   * A failure while a batch renames its files (as a crash there would): the files renamed before it
   * are whole, the others are absent, no temporary file was ever in the vault's folders (they are
   * written in {@code .vaultsync/tmp}), and a sync finishes the rest.
   */
  @Test
  void failureBetweenRenamesLeavesOnlyWholeFilesAndTheNextSyncFinishes() throws Exception {
    seeded(300, System.nanoTime());
    Replica b = new Replica(tmp.resolve("b"), "phone", server);
    Files.createDirectories(b.dir);
    List<DownloadBatch.Request> requests = new ArrayList<>();
    for (var e : server.manifest(Replica.VAULT).entries()) {
      if (e.size() <= DownloadBatch.MAX_FILE_BYTES) {
        requests.add(
            new DownloadBatch.Request(
                e.path(), new Version(e.hash(), e.size()), null, /* expected absent */ null));
      }
    }
    AtomicInteger renames = new AtomicInteger();
    DownloadBatch batch =
        new DownloadBatch(
            server,
            Replica.VAULT,
            new SafeFiles(
                b.dir.toRealPath(), io.vaultsync.client.state.StateFolder.of(b.dir).tempDir()),
            path -> {
              // Every file of the batch is written and synced by now: a kill here must leave
              // nothing an app reading the vault would see (issue 12: 910 .vstmp files in a
              // vault after an interrupted clone).
              assertThat(tempFiles(b.dir)).isEmpty();
              if (renames.incrementAndGet() == 150) {
                throw new IOException("injected failure before renaming " + path);
              }
            });

    assertThatThrownBy(() -> batch.run(requests)).hasMessageContaining("injected failure");

    Map<String, ContentHash> visible = b.files();
    assertThat(visible).hasSize(149);
    assertThat(Replica.serverFiles(server)).containsAllEntriesOf(visible);
    assertThat(tempFiles(b.dir)).isEmpty();
  }

  /**
   * A remote that sends other content than asked for (a damaged copy, as a flipped byte on the
   * server's disk would give): that file is refused by its hash and named, with kind SERVER, and
   * every other file of the clone is written. Before issue 12 the whole clone failed on it.
   */
  @Test
  void contentWhoseHashIsNotTheRequestedOneIsNamedForItsFileAndTheOthersAreWritten()
      throws Exception {
    seeded(50, System.nanoTime());
    VaultTransport swapping =
        intercepting(
            server,
            (vault, items, receiver) -> {
              List<FetchItem> wrong = new ArrayList<>(items);
              wrong.set(7, items.get(8));
              server.fetchMany(vault, wrong, receiver);
            });
    Replica b = new Replica(tmp.resolve("b"), "phone", swapping);

    SyncReport report = b.cloneVault();

    assertThat(report.notSynced())
        .singleElement()
        .satisfies(
            n -> {
              assertThat(n.kind()).isEqualTo(NotSynced.Kind.SERVER);
              assertThat(n.reason())
                  .startsWith("the server lacks its content (the server sent content ")
                  .contains(", damaged)");
            });
    Map<String, ContentHash> all = Replica.serverFiles(server);
    assertThat(b.files()).hasSize(all.size() - 1);
    assertThat(all).containsAllEntriesOf(b.files());
    assertThat(all).containsKey(report.notSynced().get(0).path());
    assertThat(tempFiles(b.dir)).isEmpty();
    Replica healthy = new Replica(b.dir, "phone", server);
    assertThat(healthy.sync().notSynced()).isEmpty();
    assertThat(healthy.files()).isEqualTo(all);
  }

  private static List<Path> tempFiles(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> p.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX))
          .filter(p -> !p.startsWith(dir.resolve(".vaultsync")))
          .toList();
    }
  }

  /** What a test does instead of {@link VaultTransport#fetchMany}. */
  @FunctionalInterface
  private interface FetchManyOverride {
    void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver) throws IOException;
  }

  /** {@code inner} with its {@code fetchMany} replaced. */
  private static VaultTransport intercepting(VaultTransport inner, FetchManyOverride override) {
    return (VaultTransport)
        Proxy.newProxyInstance(
            VaultTransport.class.getClassLoader(),
            new Class<?>[] {VaultTransport.class},
            (proxy, method, args) -> {
              if (method.getName().equals("fetchMany")) {
                @SuppressWarnings("unchecked")
                List<FetchItem> items = (List<FetchItem>) args[1];
                override.fetchMany((String) args[0], items, (FetchReceiver) args[2]);
                return null;
              }
              try {
                return method.invoke(inner, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  static NotePath path(String p) {
    return NotePath.of(p);
  }
}
