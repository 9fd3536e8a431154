package io.vaultsync.benchmarks.live;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Looks at another JVM on this machine: its heap after a full GC ({@code jcmd PID GC.run}, then
 * {@code GC.heap_info}), and from {@code /proc/PID/status} its resident memory and thread count.
 */
public final class JvmProbe {
  /** What one look found; a figure that could not be read is -1. */
  public record Snapshot(long heapUsedBytes, long heapCommittedBytes, long rssBytes, int threads) {
    @Override
    public String toString() {
      return String.format(
          Locale.ROOT,
          "heap used %.1f MiB (committed %.1f MiB), RSS %.1f MiB, %d threads",
          heapUsedBytes / 1048576.0,
          heapCommittedBytes / 1048576.0,
          rssBytes / 1048576.0,
          threads);
    }
  }

  /**
   * One heap line of {@code GC.heap_info}: G1 prints one ({@code garbage-first heap total ...}),
   * the serial collector of the server's options one per generation ({@code def new generation
   * total ...}, {@code tenured generation total ...}); the heap is their sum.
   */
  private static final Pattern HEAP =
      Pattern.compile(
          "(?:heap|generation)\\s+total\\s+(\\d+)K,\\s+used\\s+(\\d+)K", Pattern.CASE_INSENSITIVE);

  private JvmProbe() {}

  /** Runs a full GC in {@code pid} (when {@code fullGc}), then reads its heap, RSS and threads. */
  public static Snapshot look(long pid, boolean fullGc) throws IOException, InterruptedException {
    if (fullGc) {
      jcmd(pid, "GC.run");
    }
    long used = -1;
    long committed = -1;
    Matcher m = HEAP.matcher(jcmd(pid, "GC.heap_info"));
    while (m.find()) {
      committed = Math.max(committed, 0) + Long.parseLong(m.group(1)) * 1024;
      used = Math.max(used, 0) + Long.parseLong(m.group(2)) * 1024;
    }
    long rss = -1;
    int threads = -1;
    Path status = Path.of("/proc", Long.toString(pid), "status");
    if (Files.isReadable(status)) {
      for (String line : Files.readAllLines(status, StandardCharsets.UTF_8)) {
        if (line.startsWith("VmRSS:")) {
          rss = Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        } else if (line.startsWith("Threads:")) {
          threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
        }
      }
    }
    return new Snapshot(used, committed, rss, threads);
  }

  /**
   * The largest classes by heap bytes ({@code GC.class_histogram}), header and {@code top} rows.
   */
  public static List<String> histogram(long pid, int top) throws IOException, InterruptedException {
    List<String> lines = jcmd(pid, "GC.class_histogram").lines().toList();
    return lines.subList(0, Math.min(lines.size(), top + 3));
  }

  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path bin = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    String jcmd = Files.isExecutable(bin) ? bin.toString() : "jcmd";
    Process p =
        new ProcessBuilder(jcmd, Long.toString(pid), command).redirectErrorStream(true).start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IOException("jcmd " + pid + " " + command + " failed: " + out.strip());
    }
    return out;
  }
}
