package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The vault benchmark at a toy size, so the build proves the runner works end to end (real server,
 * CLI processes) and the replicas converge; it checks no speed.
 */
class VaultBenchmarkSmokeTest {
  @TempDir Path tmp;

  @Test
  @Timeout(300)
  void runsEveryScenarioAndTheReplicasConverge() throws Exception {
    VaultBenchmark bench = new VaultBenchmark();
    Path csv = tmp.resolve("vault.csv");
    new CommandLine(bench)
        .parseArgs(
            "--notes",
            "50",
            "--runs",
            "1",
            "--work",
            tmp.resolve("work").toString(),
            "--csv",
            csv.toString());
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    VaultBenchmark.Result r = bench.measure(new PrintStream(report, true, StandardCharsets.UTF_8));

    String text = report.toString(StandardCharsets.UTF_8);
    assertThat(r.converged()).as(text).isTrue();
    assertThat(r.rows())
        .extracting(VaultBenchmark.Row::scenario)
        .containsExactlyElementsOf(VaultBenchmark.SCENARIOS);
    assertThat(r.rows()).allMatch(row -> row.medianNanos() > 0);
    // every scenario but the no-op moves content one way or the other
    assertThat(r.rows().get(0).bytesSent()).isGreaterThan(r.vaultBytes() / 2);
    assertThat(r.rows().get(1).bytesReceived()).isGreaterThan(r.vaultBytes() / 2);
    assertThat(r.rows().get(2).bytes()).isPositive();
    assertThat(text).contains("| no-op sync |");
    assertThat(Files.readAllLines(csv))
        .hasSize(1 + r.byTool().size() * VaultBenchmark.SCENARIOS.size())
        .first()
        .isEqualTo("tool,scenario,runs,wall_ms,bytes_sent,bytes_received,client_cpu_ms");
    if (RsyncTool.installed()) {
      assertThat(r.byTool()).containsOnlyKeys("vaultsync", "rsync", "rsync -z");
      assertThat(r.byTool().get("rsync").get(0).bytesSent()).isGreaterThan(r.vaultBytes() / 2);
      assertThat(text).contains("| time ratio (rsync, -z) |");
    }
  }
}
