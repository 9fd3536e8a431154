package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.VaultBenchmark.Result;
import io.vaultsync.benchmarks.VaultBenchmark.Row;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The vault benchmark's results as Markdown tables and CSV: one table per vault size (every tool,
 * every scenario, the ratios vaultsync / rsync), the growth across sizes, and the worst ratio.
 */
final class BenchmarkTables {
  private BenchmarkTables() {}

  /** A heading and {@link #table}: the size, the link and the runs. */
  static String sizeTable(Result r) {
    return String.format(
            Locale.ROOT,
            "%n### %,d notes (%,d bytes), %s, %s%n%n",
            r.notes(),
            r.vaultBytes(),
            r.link().label(),
            medianOf(r))
        + table(r);
  }

  /** {@code median of 5 runs} or {@code 1 run}. */
  static String medianOf(Result r) {
    return r.runs() == 1 ? "1 run" : "median of " + r.runs() + " runs";
  }

  /** Every tool's rows at one size, with the ratios vaultsync / tool (< 1: vaultsync better). */
  static String table(Result r) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        "| scenario | tool | wall s | bytes sent | bytes received | bytes total | client CPU s"
            + " | client peak RSS MiB | server CPU s | server peak RSS MiB | time ratio | bytes"
            + " ratio |\n");
    sb.append("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Row> v = r.byTool().get(VaultBenchmark.VAULTSYNC);
    for (int i = 0; i < v.size(); i++) {
      for (Map.Entry<String, List<Row>> e : r.byTool().entrySet()) {
        Row row = e.getValue().get(i);
        boolean self = e.getKey().equals(VaultBenchmark.VAULTSYNC);
        sb.append(
            String.format(
                Locale.ROOT,
                "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                self ? row.scenario() : "",
                e.getKey(),
                wall(row),
                count(row.bytesSent()),
                count(row.bytesReceived()),
                count(row.bytes()),
                seconds(row.clientCpuNanos()),
                mib(row.clientPeakRssKib()),
                seconds(row.serverCpuNanos()),
                mib(row.serverPeakRssKib()),
                self ? "" : ratio(v.get(i).medianNanos(), row.medianNanos()),
                self ? "" : ratio(v.get(i).bytes(), row.bytes())));
      }
    }
    return sb.toString();
  }

  /** Wall seconds; for the live scenario p50 with p90 and p99. */
  private static String wall(Row row) {
    if (!row.measured()) {
      return "n/a";
    }
    if (row.p90Nanos() >= 0) {
      return String.format(
          Locale.ROOT,
          "p50 %.3f (p90 %.3f, p99 %.3f)",
          row.medianNanos() / 1e9,
          row.p90Nanos() / 1e9,
          row.p99Nanos() / 1e9);
    }
    return String.format(Locale.ROOT, "%.2f", row.medianNanos() / 1e9);
  }

  private static String count(long v) {
    return v < 0 ? "n/a" : String.format(Locale.ROOT, "%,d", v);
  }

  private static String seconds(long nanos) {
    return nanos < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", nanos / 1e9);
  }

  private static String mib(long kib) {
    return kib < 0 ? "n/a" : String.format(Locale.ROOT, "%.0f", kib / 1024.0);
  }

  /** {@code a / b} to 3 significant digits, or n/a. */
  static String ratio(long a, long b) {
    return a < 0 || b <= 0 ? "n/a" : String.format(Locale.ROOT, "%.3g", a / (double) b);
  }

  /**
   * Per tool and scenario, the wall time and bytes at every size and the growth factor from the
   * smallest size to the largest.
   */
  static String growthTable(List<Result> results) {
    StringBuilder sb = new StringBuilder();
    Result first = results.get(0);
    Result last = results.get(results.size() - 1);
    sb.append("| scenario | tool |");
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, " wall s, %,d |", r.notes()));
    }
    sb.append(" time growth |");
    for (Result r : results) {
      sb.append(String.format(Locale.ROOT, " bytes, %,d |", r.notes()));
    }
    sb.append(" bytes growth |\n|---|---|");
    sb.append("---:|".repeat(2 * results.size() + 2)).append('\n');
    for (int i = 0; i < VaultBenchmark.SCENARIOS.size(); i++) {
      for (String tool : first.byTool().keySet()) {
        if (!last.byTool().containsKey(tool)) {
          continue;
        }
        sb.append("| ")
            .append(tool.equals(VaultBenchmark.VAULTSYNC) ? VaultBenchmark.SCENARIOS.get(i) : "")
            .append(" | ")
            .append(tool)
            .append(" |");
        for (Result r : results) {
          sb.append(' ').append(secondsOrNa(row(r, tool, i))).append(" |");
        }
        sb.append(' ')
            .append(growth(row(first, tool, i).medianNanos(), row(last, tool, i).medianNanos()))
            .append(" |");
        for (Result r : results) {
          sb.append(' ').append(count(row(r, tool, i).bytes())).append(" |");
        }
        sb.append(' ')
            .append(growth(row(first, tool, i).bytes(), row(last, tool, i).bytes()))
            .append(" |\n");
      }
    }
    return sb.toString();
  }

  private static Row row(Result r, String tool, int scenario) {
    List<Row> rows = r.byTool().get(tool);
    return rows == null ? null : rows.get(scenario);
  }

  private static String secondsOrNa(Row row) {
    return row == null || !row.measured()
        ? "n/a"
        : String.format(Locale.ROOT, "%.3g", row.medianNanos() / 1e9);
  }

  private static String growth(long from, long to) {
    return from <= 0 || to < 0 ? "n/a" : String.format(Locale.ROOT, "×%.3g", to / (double) from);
  }

  /** The worst ratio vaultsync / rsync, one for time and one for bytes. */
  record Worst(
      String what, String scenario, int notes, String against, double ratio, String values) {
    String sentence() {
      return String.format(
          Locale.ROOT,
          "%s: %s at %,d notes, vaultsync / %s = %.3g (%s)",
          what,
          scenario,
          notes,
          against,
          ratio,
          values);
    }
  }

  /**
   * The largest vaultsync / rsync ratio of time and of bytes over every size and scenario of {@code
   * results} (give it the results of one link).
   */
  static List<Worst> worst(List<Result> results) {
    Worst time = null;
    Worst bytes = null;
    for (Result r : results) {
      List<Row> v = r.byTool().get(VaultBenchmark.VAULTSYNC);
      for (Map.Entry<String, List<Row>> e : r.byTool().entrySet()) {
        if (e.getKey().equals(VaultBenchmark.VAULTSYNC)) {
          continue;
        }
        for (int i = 0; i < v.size(); i++) {
          Row o = e.getValue().get(i);
          Row s = v.get(i);
          if (s.measured() && o.measured() && o.medianNanos() > 0) {
            double q = s.medianNanos() / (double) o.medianNanos();
            if (time == null || q > time.ratio()) {
              time =
                  new Worst(
                      "time",
                      s.scenario(),
                      r.notes(),
                      e.getKey(),
                      q,
                      String.format(
                          Locale.ROOT,
                          "%.3g s against %.3g s",
                          s.medianNanos() / 1e9,
                          o.medianNanos() / 1e9));
            }
          }
          if (s.bytes() >= 0 && o.bytes() > 0) {
            double q = s.bytes() / (double) o.bytes();
            if (bytes == null || q > bytes.ratio()) {
              bytes =
                  new Worst(
                      "bytes",
                      s.scenario(),
                      r.notes(),
                      e.getKey(),
                      q,
                      String.format(Locale.ROOT, "%,d bytes against %,d", s.bytes(), o.bytes()));
            }
          }
        }
      }
    }
    List<Worst> out = new ArrayList<>();
    if (time != null) {
      out.add(time);
    }
    if (bytes != null) {
      out.add(bytes);
    }
    return out;
  }

  /** CSV of every size, tool and scenario; empty fields are n/a. */
  static List<String> csvLines(List<Result> results) {
    List<String> lines = new ArrayList<>();
    lines.add(
        "link,notes,vault_bytes,runs,tool,scenario,wall_ms,bytes_sent,bytes_received,client_cpu_ms,"
            + "client_peak_rss_kib,server_cpu_ms,server_peak_rss_kib,p90_ms,p99_ms");
    for (Result r : results) {
      r.byTool()
          .forEach(
              (tool, list) -> {
                for (Row row : list) {
                  lines.add(
                      String.join(
                          ",",
                          r.link().key(),
                          Integer.toString(r.notes()),
                          Long.toString(r.vaultBytes()),
                          Integer.toString(r.runs()),
                          tool,
                          "\"" + row.scenario() + "\"",
                          millis(row.medianNanos()),
                          plain(row.bytesSent()),
                          plain(row.bytesReceived()),
                          millis(row.clientCpuNanos()),
                          plain(row.clientPeakRssKib()),
                          millis(row.serverCpuNanos()),
                          plain(row.serverPeakRssKib()),
                          millis(row.p90Nanos()),
                          millis(row.p99Nanos())));
                }
              });
    }
    return lines;
  }

  private static String millis(long nanos) {
    return nanos < 0 ? "" : String.format(Locale.ROOT, "%.1f", nanos / 1e6);
  }

  private static String plain(long v) {
    return v < 0 ? "" : Long.toString(v);
  }

  /** Writes {@code text} to a temporary file beside {@code file}, fsyncs it, renames it over. */
  static void writeAtomically(Path file, String text) throws IOException {
    writeAtomically(file, text.getBytes(StandardCharsets.UTF_8));
  }

  /** {@link #writeAtomically(Path, String)} for bytes. */
  static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path target = file.toAbsolutePath();
    Files.createDirectories(target.getParent());
    Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
    try (FileChannel ch =
        FileChannel.open(
            tmp,
            StandardOpenOption.CREATE,
            StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        ch.write(buf);
      }
      ch.force(true);
    }
    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
