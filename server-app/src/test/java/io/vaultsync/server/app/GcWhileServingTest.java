package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.server.TestDeltas;
import io.vaultsync.server.store.StagingBatch;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Content GC running over and over while a device commits (issue 12 item 9). Half the commits store
 * content that already lies in the store unreferenced (left by a commit that never reached the
 * ledger, so every collection wants to drop it): the commit deduplicates against an object the
 * collection may be sweeping. No commit fails and every recorded version reads back, before and
 * after a reopen.
 */
class GcWhileServingTest {
  @TempDir Path dir;

  @Test
  @Timeout(180)
  void commitsDeduplicatingAgainstGarbageDuringRepeatedCollectionsKeepTheirContent()
      throws Exception {
    long seed = 1212;
    System.out.println("GcWhileServingTest seed " + seed);
    Random random = new Random(seed);
    Files.createDirectories(ServerData.vaultsRoot(dir).resolve("notes"));
    List<byte[]> recorded = new ArrayList<>();
    try (ServerData data = ServerData.open(dir, Clock.systemUTC())) {
      RepeatInBackground collections =
          RepeatInBackground.start(
              () ->
                  data.store()
                      .collect(data.retention()::namedContent, data.retention().deltaPlan()));
      for (int i = 0; i < 200; i++) {
        byte[] content = new byte[2000 + random.nextInt(2000)];
        random.nextBytes(content);
        if (i % 2 == 0) {
          // garbage: stored, never recorded (as after a crash before the ledger commit)
          try (StagingBatch orphan = data.store().newBatch()) {
            orphan.stage(out -> out.write(content));
            orphan.commit();
          }
        }
        List<Outcome> o =
            data.vaults()
                .commit(
                    "notes",
                    List.of(
                        new Mutation.Put(
                            NotePath.of("n" + i + ".bin"), null, TestDeltas.delta(content))),
                    "laptop",
                    CommitOptions.DEFAULTS);
        assertThat(o.get(0)).isInstanceOf(Outcome.Applied.class);
        recorded.add(content);
      }
      assertThat(collections.stop()).isGreaterThanOrEqualTo(2);
      data.store().collect(data.retention()::namedContent, data.retention().deltaPlan());
      for (byte[] v : recorded) {
        try (InputStream in = data.store().open(ContentHash.digestOf(v)).stream()) {
          assertThat(in.readAllBytes()).isEqualTo(v);
        }
      }
    }
    try (ServerData reopened = ServerData.open(dir, Clock.systemUTC())) {
      for (byte[] v : recorded) {
        try (InputStream in = reopened.store().open(ContentHash.digestOf(v)).stream()) {
          assertThat(in.readAllBytes()).isEqualTo(v);
        }
      }
    }
  }
}
