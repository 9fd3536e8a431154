package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.server.limits.StorageLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 9 from the client's side, over loopback gRPC against the real server: a file the
 * server refuses as larger than its --max-file-size, or an upload over the vault's quota, is
 * reported as not synced by name with the server's reason, and the rest of the sync goes through
 * (the other files of the same commit batch, moves and deletes).
 */
@Timeout(120)
class StorageLimitsEndToEndTest {
  private static final int MIB = 1 << 20;

  @TempDir Path tmp;

  /** The files a sync left out, as it prints them: {@code PATH: REASON}. */
  private static java.util.List<String> lines(SyncReport r) {
    return r.notSynced().stream().map(NotSynced::describe).toList();
  }

  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  void filesOverTheServersLargestFileAreSkippedByNameAndTheOthersOfTheBatchSync() throws Exception {
    StorageLimits limits = new StorageLimits(2L * MIB, OptionalLong.empty());
    try (LoopbackEndToEndTest.LoopbackServer server =
        new LoopbackEndToEndTest.LoopbackServer(tmp.resolve("server"), limits)) {
      Replica a = new Replica(tmp.resolve("a"), "laptop", server.connect("laptop"));
      Files.createDirectories(a.dir);
      a.write("notes/one.md", "one\n");
      a.write("notes/two.md", "two\n");
      a.write("inline-big.bin", random(3 * MIB, 1)); // an inline delta in the commit batch
      a.write("pushed-big.bin", random(5 * MIB, 2)); // over 4 MiB of delta: streamed by Push

      SyncReport r = a.init();

      assertThat(server.masterCopy()).containsOnlyKeys("notes/one.md", "notes/two.md");
      assertThat(r.filesUp()).isEqualTo(2);
      assertThat(lines(r))
          .hasSize(2)
          .anySatisfy(
              s ->
                  assertThat(s)
                      .startsWith("inline-big.bin: ")
                      .contains("at least", "2.0 MiB", "--max-file-size"))
          .anySatisfy(s -> assertThat(s).startsWith("pushed-big.bin: ").contains("2.0 MiB"));

      a.write("notes/one.md", "one, edited\n");
      SyncReport again = a.sync();
      assertThat(again.filesUp()).isEqualTo(1);
      assertThat(lines(again)).hasSize(2);
      assertThat(server.masterCopy()).containsOnlyKeys("notes/one.md", "notes/two.md");

      // A live sync (one Syncer, as `watch` keeps) reports them again without sending them again.
      Syncer live = new Syncer(a.wire, java.time.Clock.systemDefaultZone()).keepingIndex();
      SyncReport first = live.sync(a.dir);
      a.write("notes/two.md", "two, edited\n");
      SyncReport second = live.sync(a.dir);
      System.out.println(
          "live sync: first " + first.bytesSent() + " bytes sent, second " + second.bytesSent());
      assertThat(first.bytesSent()).isGreaterThan(2L * MIB);
      assertThat(second.filesUp()).isEqualTo(1);
      assertThat(lines(second))
          .hasSize(2)
          .allSatisfy(s -> assertThat(s).contains("--max-file-size"));
      assertThat(second.bytesSent()).isLessThan(64 * 1024);
    }
  }

  @Test
  void anUploadOverTheVaultQuotaIsSkippedWithTheQuotaMessageAndMovesAndDeletesStillSync()
      throws Exception {
    StorageLimits limits =
        new StorageLimits(StorageLimits.DEFAULT_MAX_FILE_BYTES, OptionalLong.of(100_000));
    try (LoopbackEndToEndTest.LoopbackServer server =
        new LoopbackEndToEndTest.LoopbackServer(tmp.resolve("server"), limits)) {
      Replica a = new Replica(tmp.resolve("a"), "laptop", server.connect("laptop"));
      Files.createDirectories(a.dir);
      a.write("keep.md", random(10_000, 3));
      a.write("old.md", random(10_000, 4));
      a.init();

      a.write("big.bin", random(200_000, 5));
      a.delete("old.md");
      Files.createDirectories(a.dir.resolve("moved"));
      Files.move(a.dir.resolve("keep.md"), a.dir.resolve("moved/keep.md"));
      SyncReport r = a.sync();

      assertThat(server.masterCopy()).containsOnlyKeys("moved/keep.md");
      assertThat(r.moved()).isEqualTo(1);
      assertThat(r.deleted()).isEqualTo(1);
      assertThat(lines(r))
          .singleElement()
          .satisfies(
              s ->
                  assertThat(s)
                      .startsWith("big.bin: not uploaded: ")
                      .contains(
                          "vault notes would go over its storage quota", "vaultsync server quota"));
    }
  }
}
