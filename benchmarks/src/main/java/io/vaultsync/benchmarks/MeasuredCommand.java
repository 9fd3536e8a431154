package io.vaultsync.benchmarks;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One client command run to its end as its own process, measured: wall time, and its CPU time and
 * peak RSS from GNU time when {@code /usr/bin/time} is there ({@link GnuTime}); otherwise the CPU
 * time from this JVM's children times in {@code /proc/self/stat} and no RSS.
 *
 * @param nanos wall time from the start of the process to its end (GNU time's own start, ~1 ms,
 *     included)
 * @param output its standard output and error
 * @param usage its CPU time and peak RSS
 */
record MeasuredCommand(long nanos, List<String> output, Usage usage) {
  MeasuredCommand {
    output = List.copyOf(output);
  }

  /** What this machine measures a command with, for the report. */
  static String method() {
    return GnuTime.available()
        ? "GNU time (/usr/bin/time: user + sys, max RSS)"
        : "no GNU time: CPU from /proc/self/stat children times, peak RSS n/a";
  }

  /**
   * Runs {@code cmd}, logging into {@code logs}; fails if it does not exit 0 within {@code
   * timeoutMinutes}.
   */
  static MeasuredCommand run(List<String> cmd, Path logs, long timeoutMinutes)
      throws IOException, InterruptedException {
    Files.createDirectories(logs);
    String id = "cmd-" + System.nanoTime();
    Path log = logs.resolve(id + ".log");
    Path report = logs.resolve(id + ".time");
    boolean timed = GnuTime.available();
    List<String> full = new ArrayList<>();
    if (timed) {
      full.addAll(GnuTime.prefix(report));
    }
    full.addAll(cmd);
    long cpu0 = ProcessUsage.ownChildrenCpuNanos();
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(full)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .start();
    if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(
          String.join(" ", cmd) + " did not end in " + timeoutMinutes + " minutes; see " + log);
    }
    long nanos = System.nanoTime() - t0;
    long cpu1 = ProcessUsage.ownChildrenCpuNanos();
    List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + output);
    }
    Usage usage =
        timed ? GnuTime.read(report) : new Usage(cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0, -1);
    return new MeasuredCommand(nanos, output, usage);
  }
}
