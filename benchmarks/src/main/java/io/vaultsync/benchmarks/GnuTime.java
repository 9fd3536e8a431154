package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * GNU time ({@code /usr/bin/time}) as a meter of whole processes: {@code /usr/bin/time -o FILE -f
 * "%U %S %M" COMMAND} writes the command's user and system CPU seconds and its maximum resident set
 * size (KiB) when it ends. These come from {@code wait4}'s rusage, so they include the children the
 * command waited for (its CPU time adds theirs, its peak RSS is the largest of any of them), which
 * is what a forking daemon needs.
 */
final class GnuTime {
  static final Path BINARY = Path.of("/usr/bin/time");
  private static final String FORMAT = "vaultsync-usage %U %S %M";
  private static final boolean AVAILABLE = probe();

  private GnuTime() {}

  /** Whether {@code /usr/bin/time} is GNU time (answers {@code --version} with "GNU"). */
  static boolean available() {
    return AVAILABLE;
  }

  private static boolean probe() {
    // -Dvaultsync.bench.gnutime=false measures as on a machine without it (the fallbacks)
    if (!Boolean.parseBoolean(System.getProperty("vaultsync.bench.gnutime", "true"))
        || !Files.isExecutable(BINARY)) {
      return false;
    }
    try {
      Process p =
          new ProcessBuilder(BINARY.toString(), "--version").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && out.contains("GNU");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** {@code /usr/bin/time -o report -f FORMAT}, to put in front of a command. */
  static List<String> prefix(Path report) {
    return List.of(BINARY.toString(), "-o", report.toString(), "-f", FORMAT);
  }

  /**
   * The usage GNU time wrote to {@code report} (its last line; a line saying the command was killed
   * by a signal may come first).
   *
   * @throws IOException if the file holds no usage line
   */
  static Usage read(Path report) throws IOException {
    List<String> lines = Files.readAllLines(report, StandardCharsets.UTF_8);
    for (int i = lines.size() - 1; i >= 0; i--) {
      String line = lines.get(i).trim();
      if (line.startsWith("vaultsync-usage ")) {
        String[] f = line.split(" ");
        if (f.length != 4) {
          break;
        }
        try {
          long cpu = Math.round((Double.parseDouble(f[1]) + Double.parseDouble(f[2])) * 1e9);
          return new Usage(cpu, Long.parseLong(f[3]));
        } catch (NumberFormatException e) {
          throw new IOException("bad usage line \"" + line + "\" in " + report, e);
        }
      }
    }
    throw new IOException("no usage line in " + report + ": " + lines);
  }
}
