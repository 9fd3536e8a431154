package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * The machine a benchmark ran on, for the report: each field is what the system said, or "unknown".
 */
public record MachineInfo(
    String cpu,
    int cores,
    String memory,
    String os,
    String jdk,
    String rsync,
    String fileSystem,
    String meter) {
  /** Reads this machine; {@code work} is the folder the benchmark writes into. */
  public static MachineInfo of(Path work) {
    return new MachineInfo(
        procField(Path.of("/proc/cpuinfo"), "model name"),
        Runtime.getRuntime().availableProcessors(),
        readMemory(),
        osRelease()
            + " (kernel "
            + System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + ", "
            + System.getProperty("os.arch")
            + ")",
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
        rsyncVersion(),
        readFileSystem(work),
        MeasuredCommand.method());
  }

  /** The Markdown list of the fields a benchmark without rsync and GNU time needs. */
  public String basicMarkdown() {
    return list(false);
  }

  /** The Markdown list of the fields. */
  String markdown() {
    return list(true);
  }

  private String list(boolean peers) {
    List<String> lines = new ArrayList<>();
    lines.add("- CPU: " + cpu + ", " + cores + " cores visible to the JVM");
    lines.add("- RAM: " + memory);
    lines.add("- OS: " + os);
    lines.add("- JDK: " + jdk);
    if (peers) {
      lines.add("- rsync: " + rsync);
    }
    lines.add("- file system of the work folder: " + fileSystem);
    if (peers) {
      lines.add("- client CPU and peak RSS: " + meter);
    }
    lines.add("");
    return String.join("\n", lines);
  }

  private static String procField(Path file, String key) {
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.startsWith(key)) {
          return line.substring(line.indexOf(':') + 1).trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // reported as unknown
    }
    return "unknown";
  }

  private static String readMemory() {
    String total = procField(Path.of("/proc/meminfo"), "MemTotal");
    try {
      long kib = Long.parseLong(total.replace("kB", "").trim());
      return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
    } catch (NumberFormatException e) {
      return total;
    }
  }

  /** {@code PRETTY_NAME} of {@code /etc/os-release} ({@code KEY="value"} lines). */
  private static String osRelease() {
    try {
      for (String line : Files.readAllLines(Path.of("/etc/os-release"), StandardCharsets.UTF_8)) {
        if (line.startsWith("PRETTY_NAME=")) {
          return line.substring("PRETTY_NAME=".length()).replace("\"", "").trim();
        }
      }
    } catch (IOException | RuntimeException e) {
      // reported as unknown
    }
    return "unknown";
  }

  private static String rsyncVersion() {
    try {
      Process p = new ProcessBuilder("rsync", "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return out.lines().findFirst().orElse("unknown").trim();
      }
    } catch (IOException e) {
      return "not installed";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return "unknown";
  }

  private static String readFileSystem(Path work) {
    try {
      Path p = work.toAbsolutePath();
      while (p != null && !Files.exists(p)) {
        p = p.getParent();
      }
      return p == null ? "unknown" : Files.getFileStore(p).type();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
