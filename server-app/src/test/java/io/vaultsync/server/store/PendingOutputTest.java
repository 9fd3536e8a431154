package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One buffer and digest serve every object of a pack ({@link PendingOutput}): each object must
 * still be stored and hashed exactly as written, whatever the sizes and write patterns, and one
 * whose source fails must leave nothing of itself in the next.
 */
class PendingOutputTest {
  @TempDir Path dir;

  @Test
  void objectsOfMixedSizesAndWritePatternsInOneBatchAreStoredAndHashedExactly() throws IOException {
    long seed = 16;
    System.out.println("seed " + seed);
    Random random = new Random(seed);
    List<byte[]> contents = new ArrayList<>();
    for (int size : new int[] {0, 1, 100, 65_535, 65_536, 65_537, 200_000, 3, 1_500_000}) {
      byte[] b = new byte[size];
      random.nextBytes(b);
      contents.add(b);
    }
    List<ContentHash> hashes = new ArrayList<>();
    try (PackContentStore store = PackContentStore.open(dir);
        StagingBatch batch = store.newBatch()) {
      for (byte[] c : contents) {
        hashes.add(batch.stage(out -> writeInPieces(out, c, random)).hash());
      }
      // a source that fails halfway leaves nothing of itself in the objects after it
      assertThatThrownBy(
              () ->
                  batch.stage(
                      out -> {
                        out.write(new byte[70_000]);
                        out.write(new byte[10]);
                        throw new IOException("source failed");
                      }))
          .hasMessage("source failed");
      byte[] after = "after the failure".getBytes(java.nio.charset.StandardCharsets.UTF_8);
      contents.add(after);
      hashes.add(batch.stage(out -> out.write(after)).hash());
      batch.commit();
    }
    try (PackContentStore store = PackContentStore.open(dir)) {
      for (int i = 0; i < contents.size(); i++) {
        assertThat(hashes.get(i)).isEqualTo(ContentHash.digestOf(contents.get(i)));
        try (InputStream in = store.open(hashes.get(i)).stream()) {
          assertThat(in.readAllBytes()).isEqualTo(contents.get(i));
        }
      }
    }
  }

  /** Writes {@code c} as single bytes, small and large arrays, and a no-op flush and close. */
  private static void writeInPieces(OutputStream out, byte[] c, Random random) throws IOException {
    int i = 0;
    while (i < c.length) {
      int kind = random.nextInt(3);
      if (kind == 0) {
        out.write(c[i++]);
      } else {
        int n = Math.min(c.length - i, kind == 1 ? random.nextInt(100) + 1 : 70_000);
        out.write(c, i, n);
        i += n;
      }
    }
    out.flush();
    out.close(); // only flushes: the pack's channel stays open for the next object
  }
}
