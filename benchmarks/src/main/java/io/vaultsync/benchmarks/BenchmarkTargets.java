package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.VaultBenchmark.Result;
import io.vaultsync.benchmarks.VaultBenchmark.Row;
import io.vaultsync.benchmarks.wan.Link;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.function.ToLongFunction;

/**
 * Issue 16's targets, judged from the figures of one benchmark run: the "Targets" table at the top
 * of {@code docs/benchmarks.md}. One row per target and subject, one column per link; a cell says
 * met, missed or n/a and gives the value at every size, smallest first.
 */
final class BenchmarkTargets {
  /** Wall time of every one-shot scenario at most rsync's. */
  static final double TIME_RATIO = 1.0;

  /** Init and clone bytes at most rsync -z's. */
  static final double BYTES_RATIO = 1.0;

  /** Folder rename bytes "constant": the largest size's at most this times the smallest's. */
  static final double FOLDER_RENAME_SPREAD = 1.5;

  static final long LIVE_P50_NANOS = 25_000_000;
  static final long LIVE_P99_NANOS = 100_000_000;
  static final long SERVER_RSS_KIB = 256 * 1024;
  static final long CLIENT_RSS_KIB = 128 * 1024;

  private static final int INIT = 0;
  private static final int CLONE = 1;
  private static final int FOLDER_RENAME = 5;

  private BenchmarkTargets() {}

  /** One cell: met (true), missed (false) or n/a (null), and the values. */
  record Cell(Boolean met, String values) {
    String markdown() {
      String verdict = met == null ? "n/a" : met ? "**met**" : "**missed**";
      return values.isEmpty() ? verdict : verdict + ": " + values;
    }
  }

  /** One target and subject, a cell per link. */
  record Line(String target, String subject, Map<Link, Cell> cells) {}

  /** Every target's line, for the links in {@code results} (in their order). */
  static List<Line> evaluate(List<Result> results) {
    Map<Link, List<Result>> byLink = byLink(results);
    List<Line> lines = new ArrayList<>();
    for (int i = 0; i < VaultBenchmark.LIVE; i++) {
      int scenario = i;
      lines.add(
          line(
              String.format(Locale.ROOT, "wall time ≤ %.1f× rsync", TIME_RATIO),
              VaultBenchmark.SCENARIOS.get(i),
              byLink,
              r -> ratio(r, scenario, VaultBenchmark.RSYNC, Row::medianNanos, TIME_RATIO)));
    }
    for (int scenario : List.of(INIT, CLONE)) {
      lines.add(
          line(
              String.format(Locale.ROOT, "bytes ≤ %.1f× rsync -z", BYTES_RATIO),
              VaultBenchmark.SCENARIOS.get(scenario),
              byLink,
              r -> ratio(r, scenario, VaultBenchmark.RSYNC_Z, Row::bytes, BYTES_RATIO)));
    }
    lines.add(
        new Line(
            String.format(
                Locale.ROOT,
                "bytes constant in the folder's size (largest size ≤ %.1f× smallest)",
                FOLDER_RENAME_SPREAD),
            VaultBenchmark.SCENARIOS.get(FOLDER_RENAME),
            folderRename(byLink)));
    lines.add(live("live p50 ≤ 25 ms", byLink, Row::medianNanos, LIVE_P50_NANOS));
    lines.add(live("live p99 ≤ 100 ms", byLink, Row::p99Nanos, LIVE_P99_NANOS));
    lines.add(
        line(
            "server peak RSS ≤ 256 MiB",
            "largest over the scenarios",
            byLink,
            r -> peak(r, Row::serverPeakRssKib, SERVER_RSS_KIB)));
    lines.add(
        line(
            "client peak RSS ≤ 128 MiB",
            "largest over the scenarios",
            byLink,
            r -> peak(r, Row::clientPeakRssKib, CLIENT_RSS_KIB)));
    return lines;
  }

  /** The targets as a Markdown table, a column per link. */
  static String table(List<Result> results) {
    Map<Link, List<Result>> byLink = byLink(results);
    StringBuilder sb = new StringBuilder("| target | scenario |");
    for (Link link : byLink.keySet()) {
      sb.append(' ').append(link.label()).append(" |");
    }
    sb.append("\n|---|---|").append("---|".repeat(byLink.size())).append('\n');
    for (Line l : evaluate(results)) {
      sb.append("| ").append(l.target()).append(" | ").append(l.subject()).append(" |");
      for (Link link : byLink.keySet()) {
        sb.append(' ').append(l.cells().get(link).markdown()).append(" |");
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  static Map<Link, List<Result>> byLink(List<Result> results) {
    Map<Link, List<Result>> byLink = new LinkedHashMap<>();
    for (Result r : results) {
      byLink.computeIfAbsent(r.link(), k -> new ArrayList<>()).add(r);
    }
    return byLink;
  }

  /** What one size contributes to a cell: its value as text, and whether it met the target. */
  private record Value(String text, Boolean met) {}

  @FunctionalInterface
  private interface Judge {
    Value of(Result r);
  }

  /** A line judged size by size: met if every size met, missed if any missed, else n/a. */
  private static Line line(
      String target, String subject, Map<Link, List<Result>> byLink, Judge judge) {
    Map<Link, Cell> cells = new LinkedHashMap<>();
    byLink.forEach((link, rs) -> cells.put(link, cell(rs, judge)));
    return new Line(target, subject, cells);
  }

  private static Cell cell(List<Result> rs, Judge judge) {
    List<String> texts = new ArrayList<>();
    Boolean met = null;
    for (Result r : rs) {
      Value v = judge.of(r);
      texts.add(v.text());
      if (v.met() != null) {
        met = (met == null || met) && v.met();
      }
    }
    return new Cell(met, String.join(" / ", texts) + sizes(rs));
  }

  /** " (1,000 / 10,000 notes)". */
  private static String sizes(List<Result> rs) {
    List<String> n = new ArrayList<>();
    for (Result r : rs) {
      n.add(String.format(Locale.ROOT, "%,d", r.notes()));
    }
    return " (" + String.join(" / ", n) + " notes)";
  }

  private static Value ratio(
      Result r, int scenario, String against, ToLongFunction<Row> field, double limit) {
    List<Row> other = r.byTool().get(against);
    long mine = field.applyAsLong(r.rows().get(scenario));
    long theirs = other == null ? -1 : field.applyAsLong(other.get(scenario));
    if (mine < 0 || theirs <= 0) {
      return new Value("n/a", null);
    }
    double q = mine / (double) theirs;
    return new Value(String.format(Locale.ROOT, "%.2f×", q), q <= limit);
  }

  private static Value peak(Result r, ToLongFunction<Row> field, long limitKib) {
    long max = -1;
    for (Row row : r.rows()) {
      max = Math.max(max, field.applyAsLong(row));
    }
    if (max < 0) {
      return new Value("n/a", null);
    }
    return new Value(String.format(Locale.ROOT, "%.0f MiB", max / 1024.0), max <= limitKib);
  }

  private static Line live(
      String target, Map<Link, List<Result>> byLink, ToLongFunction<Row> field, long limit) {
    LongPredicate ok = v -> v <= limit;
    Map<Link, Cell> cells = new LinkedHashMap<>();
    byLink.forEach(
        (link, rs) -> {
          Cell c =
              cell(
                  rs,
                  r -> {
                    long v = field.applyAsLong(r.rows().get(VaultBenchmark.LIVE));
                    return v < 0
                        ? new Value("n/a", null)
                        : new Value(
                            String.format(Locale.ROOT, "%.1f ms", v / 1e6),
                            link.shaped() ? null : ok.test(v));
                  });
          // over the shaped link the edit crosses the link twice (A up, the feed down to B): at
          // least one round trip by physics, so the target is judged on loopback only
          cells.put(
              link,
              link.shaped() ? new Cell(null, c.values() + ", includes ≥ 1 RTT by physics") : c);
        });
    return new Line(target, VaultBenchmark.SCENARIOS.get(VaultBenchmark.LIVE), cells);
  }

  private static Map<Link, Cell> folderRename(Map<Link, List<Result>> byLink) {
    Map<Link, Cell> cells = new LinkedHashMap<>();
    byLink.forEach(
        (link, rs) -> {
          List<String> texts = new ArrayList<>();
          long first = -1;
          long last = -1;
          boolean all = true;
          for (Result r : rs) {
            long b = r.rows().get(FOLDER_RENAME).bytes();
            texts.add(b < 0 ? "n/a" : String.format(Locale.ROOT, "%,d B", b));
            all &= b >= 0;
            if (first < 0) {
              first = b;
            }
            last = b;
          }
          Boolean met =
              rs.size() < 2 || !all || first <= 0 ? null : last <= first * FOLDER_RENAME_SPREAD;
          String values = String.join(" / ", texts) + sizes(rs);
          cells.put(link, new Cell(met, rs.size() < 2 ? values + ", one size only" : values));
        });
    return cells;
  }
}
