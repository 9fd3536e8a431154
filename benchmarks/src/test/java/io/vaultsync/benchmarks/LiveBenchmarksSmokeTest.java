package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/**
 * The live-sync benchmark runners at toy sizes, so the build proves they still work end to end
 * (real server, real watch clients, real subscriptions). They assert delivery and convergence,
 * never speed.
 */
class LiveBenchmarksSmokeTest {
  @TempDir Path tmp;

  @ParameterizedTest(name = "in-process clients: {0}")
  @ValueSource(booleans = {false, true})
  @Timeout(120)
  void watchLatencyRunnerDeliversEveryEditAndTheReplicasConverge(boolean inProcess)
      throws Exception {
    WatchLatencyBenchmark bench = new WatchLatencyBenchmark();
    Path csv = tmp.resolve("samples.csv");
    new CommandLine(bench)
        .parseArgs(
            "--notes",
            "20",
            "--edits",
            "5",
            "--warmup",
            "1",
            "--debounce",
            "25",
            "--gap-ms",
            "10",
            "--work",
            tmp.resolve("work").toString(),
            "--csv",
            csv.toString());
    bench.inProcess = inProcess;
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    WatchLatencyBenchmark.Result r =
        bench.measure(new PrintStream(report, true, StandardCharsets.UTF_8));

    assertThat(r.converged()).as(r.difference()).isTrue();
    assertThat(r.runs()).hasSize(1);
    assertThat(r.runs().get(0).nanos()).hasSize(5);
    assertThat(Arrays.stream(r.runs().get(0).nanos()).min().getAsLong()).isPositive();
    assertThat(Files.readAllLines(csv))
        .hasSize(6)
        .first()
        .isEqualTo("debounce_ms,sample,save,latency_ms");
    assertThat(report.toString(StandardCharsets.UTF_8)).contains("| 25 ms, all | 5 |");
  }

  @Test
  @Timeout(120)
  void idleWatchersRunnerDeliversEveryChangeToEveryWatcherInOrder() throws Exception {
    IdleWatchersBenchmark bench = new IdleWatchersBenchmark();
    new CommandLine(bench)
        .parseArgs(
            "--watchers",
            "20",
            "--rounds",
            "2",
            "--warmup",
            "1",
            "--burst",
            "10",
            "--settle-seconds",
            "0",
            "--work",
            tmp.resolve("work").toString());
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    IdleWatchersBenchmark.Result r =
        bench.measure(new PrintStream(report, true, StandardCharsets.UTF_8));

    assertThat(r.problems()).as(report.toString(StandardCharsets.UTF_8)).isEmpty();
    assertThat(r.fanOuts()).hasSize(2);
    for (IdleWatchersBenchmark.FanOut f : r.fanOuts()) {
      assertThat(f.sinceCallNanos()).hasSize(20);
      assertThat(Arrays.stream(f.sinceCallNanos()).min().getAsLong()).isPositive();
    }
    assertThat(r.burstNanos()).isPositive();
    assertThat(r.idle().heapUsedBytes()).isPositive();
    assertThat(r.idle().threads()).isPositive();
  }
}
