package io.vaultsync.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.server.store.PackContentStore;
import io.vaultsync.server.store.StagingBatch;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fetch of content against nothing writes the very bytes the general encoder writes against an
 * empty signature (so clients and byte counts see no difference), for content read into memory by
 * the store and for content it streams (over 1 MiB), and they patch back to the content.
 */
class WholeContentDeltaTest {
  @TempDir Path dir;

  @Test
  void deltaFromNothingIsByteForByteTheGeneralEncodersAndPatchesBack() throws IOException {
    long seed = 1616;
    System.out.println("seed " + seed);
    Random random = new Random(seed);
    try (PackContentStore store = PackContentStore.open(dir)) {
      for (int size : new int[] {0, 1, 4_000, 65_536, 300_000, (1 << 20) + 5, 3_000_000}) {
        byte[] content = new byte[size];
        // half text-like (compressible), half random
        for (int i = 0; i < size; i++) {
          content[i] = i < size / 2 ? (byte) ('a' + i % 7) : (byte) random.nextInt();
        }
        ContentHash hash;
        try (StagingBatch batch = store.newBatch()) {
          hash = batch.stage(out -> out.write(content)).hash();
          batch.commit();
        }
        ByteArrayOutputStream fast = new ByteArrayOutputStream();
        WholeContentDelta.write(store.open(hash), fast);
        ByteArrayOutputStream general = new ByteArrayOutputStream();
        try (InputStream in = store.open(hash).stream()) {
          Deltas.delta(
              Deltas.signature(InputStream.nullInputStream(), SignatureParams.forBasisLength(0)),
              in,
              general);
        }
        assertThat(fast.toByteArray()).as("size %d", size).isEqualTo(general.toByteArray());
        assertThat(Deltas.patch(new byte[0], fast.toByteArray())).isEqualTo(content);
      }
    }
  }
}
