package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.VaultBenchmark.Sample;
import io.vaultsync.benchmarks.live.ArrivalWatch;
import io.vaultsync.benchmarks.live.EditorSave;
import io.vaultsync.benchmarks.live.LatencySummary;
import io.vaultsync.benchmarks.live.WatchClient;
import io.vaultsync.client.watch.WatchOptions;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The live scenario of {@link VaultBenchmark}: two watchers, one edit at a time, time to arrive.
 *
 * @param warmup unmeasured edits first
 * @param edits measured edits
 * @param gapMillis pause after each arrival before the next edit
 * @param classpath class path holding the CLI
 */
record LiveScenario(int warmup, int edits, long gapMillis, String classpath) {

  /**
   * The live scenario: {@code vaultsync watch} on A and on B (their own JVMs, the default
   * debounce), {@code warmup} edits, then {@code edits} measured ones: a list line appended to a
   * random note in A (saved by temp file and rename, as most editors do), the time until B's copy
   * holds exactly the new bytes. CPU time and peak RSS of both watchers and the server cover the
   * measured edits only (after the start-up and warm-up); bytes are the watchers' own counters over
   * the measured edits, per edit.
   */
  Sample measure(Path runDir, ServerSide server, Path a, Path b, int run, SplittableRandom random)
      throws IOException, InterruptedException {
    String scenario = VaultBenchmark.SCENARIOS.get(VaultBenchmark.LIVE);
    List<Path> paths = WatchLatencyBenchmark.notePaths(a);
    long debounce = WatchOptions.DEFAULTS.debounce().toMillis();
    Path logs = runDir.resolve("logs");
    long[] nanos = new long[edits];
    try (WatchClient ca =
            WatchClient.process("watch-a", a, debounce, classpath, logs.resolve("watch-a.log"));
        WatchClient cb =
            WatchClient.process("watch-b", b, debounce, classpath, logs.resolve("watch-b.log"));
        ArrivalWatch arrivals = new ArrivalWatch(b)) {
      ca.awaitConnected(Duration.ofMinutes(10));
      cb.awaitConnected(Duration.ofMinutes(10));
      int cyclesA = 0;
      int cyclesB = 0;
      long cpuA = -1;
      long cpuB = -1;
      boolean peaks = false;
      for (int i = 0; i < warmup + edits; i++) {
        if (i == warmup) {
          cyclesA = ca.cycles().size();
          cyclesB = cb.cycles().size();
          server.begin();
          cpuA = ProcessUsage.cpuNanos(ca.pid());
          cpuB = ProcessUsage.cpuNanos(cb.pid());
          peaks = ProcessUsage.resetPeak(ca.pid()) && ProcessUsage.resetPeak(cb.pid());
        }
        Path rel = paths.get(random.nextInt(paths.size()));
        byte[] next =
            (Files.readString(a.resolve(rel), StandardCharsets.UTF_8)
                    + "- live edit "
                    + i
                    + " in run "
                    + run
                    + "\n")
                .getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        EditorSave.TEMP_AND_RENAME.save(a.resolve(rel), next);
        long t1 = arrivals.await(b.resolve(rel), next, Duration.ofSeconds(60));
        if (i >= warmup) {
          nanos[i - warmup] = t1 - t0;
        }
        Thread.sleep(gapMillis); // let A's cycle end before the next save, as a person pauses
      }
      long endA = ProcessUsage.cpuNanos(ca.pid());
      long endB = ProcessUsage.cpuNanos(cb.pid());
      Usage client =
          new Usage(
              cpuA < 0 || cpuB < 0 || endA < 0 || endB < 0 ? -1 : endA - cpuA + endB - cpuB,
              peaks
                  ? Math.max(ProcessUsage.peakRssKib(ca.pid()), ProcessUsage.peakRssKib(cb.pid()))
                  : -1);
      Usage serverUsage = server.end();
      long sent = 0;
      long received = 0;
      for (WatchClient.Cycle c : ca.cycles().subList(cyclesA, ca.cycles().size())) {
        sent += c.bytesSent();
        received += c.bytesReceived();
      }
      for (WatchClient.Cycle c : cb.cycles().subList(cyclesB, cb.cycles().size())) {
        sent += c.bytesSent();
        received += c.bytesReceived();
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return new Sample(
          scenario,
          LatencySummary.rank(sorted, 50),
          sent / edits,
          received / edits,
          client,
          serverUsage,
          LatencySummary.rank(sorted, 90),
          LatencySummary.rank(sorted, 99));
    }
  }
}
