package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.server.TestDeltas;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Repacks running while a device commits edits: no commit fails and every version reads back. */
class RepackWhileServingTest {
  @TempDir Path dir;

  @Test
  @Timeout(120)
  void commitsDuringRepeatedRepacksAllSucceedAndEveryVersionReadsBackIdentical() throws Exception {
    long seed = 20261126;
    System.out.println("RepackWhileServingTest seed " + seed);
    Random random = new Random(seed);
    Files.createDirectories(ServerData.vaultsRoot(dir).resolve("notes"));
    List<byte[]> everyVersion = new ArrayList<>();
    try (ServerData data = ServerData.open(dir, Clock.systemUTC())) {
      Map<NotePath, byte[]> current = new HashMap<>();
      RepeatInBackground repacks =
          RepeatInBackground.start(() -> data.store().repack(data.retention().deltaPlan()));
      for (int i = 0; i < 150; i++) {
        NotePath p = NotePath.of("note " + random.nextInt(5) + ".md");
        byte[] before = current.getOrDefault(p, new byte[0]);
        StringBuilder text = new StringBuilder(new String(before, StandardCharsets.UTF_8));
        if (text.length() == 0) {
          for (int k = 0; k < 100; k++) {
            text.append("line ").append(k).append(" of ").append(p).append('\n');
          }
        }
        text.append("- edit ").append(i).append(' ').append(random.nextLong()).append('\n');
        byte[] after = text.toString().getBytes(StandardCharsets.UTF_8);
        ContentHash base = current.containsKey(p) ? ContentHash.digestOf(before) : null;
        List<Outcome> o =
            data.vaults()
                .commit(
                    "notes",
                    List.of(new Mutation.Put(p, base, TestDeltas.delta(before, after))),
                    "laptop",
                    CommitOptions.DEFAULTS);
        assertThat(o.get(0)).isInstanceOf(Outcome.Applied.class);
        current.put(p, after);
        everyVersion.add(after);
      }
      assertThat(repacks.stop()).isGreaterThanOrEqualTo(2);
      data.store().repack(data.retention().deltaPlan());
      data.vaults().awaitMirrored("notes");
      for (byte[] v : everyVersion) {
        try (InputStream in = data.store().open(ContentHash.digestOf(v)).stream()) {
          assertThat(in.readAllBytes()).isEqualTo(v);
        }
      }
      for (Map.Entry<NotePath, byte[]> e : current.entrySet()) {
        assertThat(Files.readAllBytes(ServerData.vaultsRoot(dir).resolve("notes/" + e.getKey())))
            .isEqualTo(e.getValue());
      }
    }
    try (ServerData reopened = ServerData.open(dir, Clock.systemUTC())) {
      for (byte[] v : everyVersion) {
        try (InputStream in = reopened.store().open(ContentHash.digestOf(v)).stream()) {
          assertThat(in.readAllBytes()).isEqualTo(v);
        }
      }
    }
  }
}
