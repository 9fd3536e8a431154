package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * CPU time and peak resident memory of a running process, read from Linux's {@code /proc}: user +
 * system time from {@code /proc/PID/stat} (fields 14 and 15, clock ticks of 10 ms), the peak RSS
 * from {@code VmHWM} in {@code /proc/PID/status}, which writing {@code 5} to {@code
 * /proc/PID/clear_refs} resets to the current RSS. Every method returns -1 (or false) where this is
 * not available (not Linux, process gone, no permission), so callers report "n/a".
 */
final class ProcessUsage {
  /** Linux's USER_HZ on every mainstream architecture. */
  private static final long NANOS_PER_TICK = 10_000_000L;

  private ProcessUsage() {}

  /** User + system CPU time of {@code pid} so far, or -1. */
  static long cpuNanos(long pid) {
    return statTicks(pid, 11, 12);
  }

  /**
   * User + system CPU time of {@code pid}'s ended and waited-for children (fields 16 and 17), or
   * -1.
   */
  static long childrenCpuNanos(long pid) {
    return statTicks(pid, 13, 14);
  }

  /** {@link #childrenCpuNanos} of this JVM. */
  static long ownChildrenCpuNanos() {
    return childrenCpuNanos(ProcessHandle.current().pid());
  }

  private static long statTicks(long pid, int first, int second) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // the command name (field 2) may hold spaces; the fields after its ')' are plain, f[0] is
      // field 3
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      return (Long.parseLong(f[first]) + Long.parseLong(f[second])) * NANOS_PER_TICK;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** Resets {@code pid}'s peak RSS to its current RSS; false if the kernel refused. */
  static boolean resetPeak(long pid) {
    try {
      Files.writeString(
          Path.of("/proc", Long.toString(pid), "clear_refs"), "5", StandardCharsets.US_ASCII);
      return true;
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  /** {@code pid}'s peak RSS in KiB ({@code VmHWM}), or -1. */
  static long peakRssKib(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").trim());
        }
      }
      return -1;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }
}
