package io.vaultsync.server.app;

import static io.vaultsync.server.app.CommandRun.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.server.TestDeltas;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaultsync server retention} and {@code vaultsync server repack} on a data folder. */
class RetentionCommandsTest {
  @TempDir Path dir;

  /** A vault "notes" whose note was written three times, one commit each. */
  private void threeVersions() throws Exception {
    Files.createDirectories(ServerData.vaultsRoot(dir).resolve("notes"));
    try (ServerData data = ServerData.open(dir, Clock.systemUTC())) {
      byte[] previous = new byte[0];
      io.vaultsync.core.hash.ContentHash base = null;
      StringBuilder text = new StringBuilder();
      for (int i = 0; i < 300; i++) {
        text.append("line ").append(i).append('\n');
      }
      for (int v = 0; v < 3; v++) {
        text.append("edit ").append(v).append('\n');
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        data.vaults()
            .commit(
                "notes",
                List.of(
                    new Mutation.Put(NotePath.of("a.md"), base, TestDeltas.delta(previous, body))),
                "laptop",
                CommitOptions.DEFAULTS);
        base = io.vaultsync.core.hash.ContentHash.digestOf(body);
        previous = body;
      }
      data.vaults().awaitMirrored("notes");
    }
  }

  @Test
  void retentionShowsSetsAndRemovesAVaultsOwnPolicy() throws Exception {
    threeVersions();
    String d = dir.toString();
    assertThat(run("retention", "--data", d).out()).contains("vault notes: the server's options");
    CommandRun set = run("retention", "--data", d, "--vault", "notes", "--keep-all", "90d");
    assertThat(set.code()).isZero();
    assertThat(set.out())
        .contains("vault notes: --keep-all 90d --hourly 7d --daily 365d (its own)");
    CommandRun thin = run("retention", "--data", d, "--thin-now");
    assertThat(thin.out()).contains("vault notes: 0 versions thinned");
    assertThat(run("retention", "--data", d, "--vault", "notes", "--default").out())
        .contains("vault notes: the server's options");
    CommandRun noVault = run("retention", "--data", d, "--daily", "10d");
    assertThat(noVault.code()).isEqualTo(2);
    assertThat(noVault.err()).contains("give --vault NAME");
  }

  @Test
  void repackStoresOldVersionsAsDeltasAndRefusesWhileAServerRuns() throws Exception {
    threeVersions();
    try (ServerData running = ServerData.open(dir, Clock.systemUTC())) {
      CommandRun refused = run("repack", "--data", dir.toString());
      assertThat(refused.code()).isEqualTo(2);
      assertThat(refused.err()).contains("another vaultsync server is using");
    }
    CommandRun r = run("repack", "--data", dir.toString());
    assertThat(r.code()).isZero();
    assertThat(r.out()).contains("repacked").contains("2 stored as deltas");
  }

  @Test
  void serverRefusesARepackIntervalUnderTenMinutesAndANegativePhase() {
    CommandRun fast = run("--data", dir.toString(), "--repack-every", "5m");
    assertThat(fast.code()).isEqualTo(2);
    assertThat(fast.err()).contains("--repack-every PT5M; expected at least 10m, or off");
    CommandRun off = run("--data", dir.toString(), "--daily", "off");
    assertThat(off.code()).isEqualTo(2);
    assertThat(off.err()).contains("--keep-all, --hourly and --daily take durations");
  }
}
