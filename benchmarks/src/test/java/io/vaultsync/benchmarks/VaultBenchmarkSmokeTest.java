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
            csv.toString(),
            "--live-edits",
            "3",
            "--live-warmup",
            "1");
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    VaultBenchmark.Result r = bench.measure(new PrintStream(report, true, StandardCharsets.UTF_8));

    String text = report.toString(StandardCharsets.UTF_8);
    assertThat(r.converged()).as(text).isTrue();
    assertThat(r.rows())
        .extracting(VaultBenchmark.Row::scenario)
        .containsExactlyElementsOf(VaultBenchmark.SCENARIOS);
    assertThat(r.rows()).allMatch(row -> row.medianNanos() > 0);
    // every scenario but the no-op moves content one way or the other
    // (zstd packs generated notes ~3.5x, so a tenth of the vault is a floor no real init or clone
    // goes under, while a scenario that moved nothing would)
    assertThat(r.rows().get(0).bytesSent()).isGreaterThan(r.vaultBytes() / 10);
    assertThat(r.rows().get(1).bytesReceived()).isGreaterThan(r.vaultBytes() / 10);
    assertThat(r.rows().get(2).bytes()).isPositive();
    assertThat(text).contains("| no-op sync |").contains("| live propagation, 1 edit |");
    // the live edit arrived (its p50 is a measured time) and moved bytes both ways
    VaultBenchmark.Row live = r.rows().get(VaultBenchmark.LIVE);
    assertThat(live.p99Nanos()).isGreaterThanOrEqualTo(live.medianNanos());
    // CPU time is measured with or without GNU time (on Linux); RSS only with it
    if (Files.exists(Path.of("/proc/self/stat"))) {
      assertThat(r.rows()).allMatch(row -> row.clientCpuNanos() >= 0 && row.serverCpuNanos() >= 0);
    }
    if (ProcessUsage.resetPeak(ProcessHandle.current().pid())) {
      assertThat(r.rows()).allMatch(row -> row.serverPeakRssKib() > 0);
    }
    if (GnuTime.available()) {
      assertThat(r.rows()).allMatch(row -> row.clientPeakRssKib() > 0);
    }
    assertThat(Files.readAllLines(csv))
        .hasSize(1 + r.byTool().size() * VaultBenchmark.SCENARIOS.size())
        .first()
        .isEqualTo(BenchmarkTables.csvLines(java.util.List.of()).get(0));
    if (RsyncTool.installed()) {
      assertThat(r.byTool()).containsOnlyKeys("vaultsync", "rsync", "rsync -z");
      assertThat(r.byTool().get("rsync").get(0).bytesSent()).isGreaterThan(r.vaultBytes() / 2);
      assertThat(text).contains("| time ratio |");
      // rsync has no watcher: its live row is n/a
      assertThat(r.byTool().get("rsync").get(VaultBenchmark.LIVE).measured()).isFalse();
      if (GnuTime.available()) {
        assertThat(r.byTool().get("rsync").get(0).serverPeakRssKib()).isPositive();
      }
    }
  }

  @Test
  @Timeout(300)
  void overTheWanLinkEveryClientGoesThroughTheProxyAndPaysItsRoundTrips() throws Exception {
    VaultBenchmark bench = new VaultBenchmark();
    String[] args = {"--notes", "30", "--runs", "1", "--work", tmp.resolve("wan").toString()};
    new CommandLine(bench)
        .parseArgs(
            concat(
                args,
                "--link wan --rtt-ms 40 --rate-mbit 100 --live-edits 2 --live-warmup 1"
                    .split(" ")));
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    VaultBenchmark.Result r = bench.measure(new PrintStream(report, true, StandardCharsets.UTF_8));

    String text = report.toString(StandardCharsets.UTF_8);
    assertThat(r.converged()).as(text).isTrue();
    assertThat(r.link().label()).isEqualTo("WAN-shaped link (40 ms RTT, 100 Mbit/s)");
    assertThat(text).contains("link: shaping proxy 127.0.0.1:");
    long rtt = 40_000_000L;
    // a command connects (one round trip) and makes at least one call (another)
    assertThat(r.rows().get(6).medianNanos()).as("no-op sync").isGreaterThanOrEqualTo(2 * rtt);
    // a live edit goes up from A and down to B: at least one round trip
    assertThat(r.rows().get(VaultBenchmark.LIVE).medianNanos()).isGreaterThanOrEqualTo(rtt);
    if (RsyncTool.installed()) {
      assertThat(text).contains("; rsync: shaping proxy 127.0.0.1:");
      assertThat(r.byTool().get("rsync").get(6).medianNanos()).isGreaterThanOrEqualTo(2 * rtt);
    }
  }

  private static String[] concat(String[] a, String[] b) {
    String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
