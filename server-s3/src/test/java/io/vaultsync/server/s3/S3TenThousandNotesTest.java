package io.vaultsync.server.s3;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A first upload of 10,000 notes in one batch costs one PUT (and two database transactions), and
 * the same 10,000 committed again cost none. Prints the times: figures for docs/SCALING.md.
 */
class S3TenThousandNotesTest extends S3TestBase {
  @Test
  void tenThousandNotesAreOnePutAndRecommittingThemIsNone() throws IOException {
    S3ContentStore a = f.store();
    List<ContentHash> hashes = new ArrayList<>();
    long t0 = System.nanoTime();
    try (StagingBatch batch = a.newBatch()) {
      for (int i = 0; i < 10_000; i++) {
        byte[] note = ("# note " + i + "\n" + "a line of text\n".repeat(1 + i % 100)).getBytes();
        hashes.add(batch.stage(out -> out.write(note)).hash());
      }
      batch.commit();
    }
    long first = System.nanoTime() - t0;
    assertThat(a.bucket().puts.get()).isEqualTo(1);

    t0 = System.nanoTime();
    try (StagingBatch batch = a.newBatch()) {
      for (int i = 0; i < 10_000; i++) {
        byte[] note = ("# note " + i + "\n" + "a line of text\n".repeat(1 + i % 100)).getBytes();
        batch.stage(out -> out.write(note));
      }
      batch.commit();
    }
    long again = System.nanoTime() - t0;
    assertThat(a.bucket().puts.get()).as("all deduplicated: no PUT").isEqualTo(1);
    assertThat(a.has(hashes.get(9_999))).isTrue();
    System.out.printf(
        "10,000 notes: first commit %d ms (1 PUT), the same again %d ms (0 PUT)%n",
        first / 1_000_000, again / 1_000_000);
  }
}
