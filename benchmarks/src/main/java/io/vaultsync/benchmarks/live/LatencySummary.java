package io.vaultsync.benchmarks.live;

import java.util.Arrays;
import java.util.Locale;

/**
 * The distribution of a set of durations: count, min, p50, p90, p99, max in milliseconds.
 * Percentiles are nearest-rank (the smallest sample with at least p% of the samples at or below
 * it), so every figure is a measured sample, never an interpolation.
 */
public record LatencySummary(
    int count, double minMs, double p50Ms, double p90Ms, double p99Ms, double maxMs) {
  public LatencySummary {
    if (count < 1) {
      throw new IllegalArgumentException("summary of " + count + " samples; expected >= 1");
    }
  }

  /** The summary of {@code nanos} (any order; not modified). */
  public static LatencySummary ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no samples to summarise");
    }
    long[] s = nanos.clone();
    Arrays.sort(s);
    return new LatencySummary(
        s.length, ms(s[0]), ms(rank(s, 50)), ms(rank(s, 90)), ms(rank(s, 99)), ms(s[s.length - 1]));
  }

  /** The nearest-rank {@code percent} percentile of sorted {@code s}. */
  public static long rank(long[] s, double percent) {
    int i = (int) Math.ceil(percent / 100.0 * s.length) - 1;
    return s[Math.max(0, Math.min(s.length - 1, i))];
  }

  private static double ms(long nanos) {
    return nanos / 1e6;
  }

  /** A Markdown table row: {@code | label | n | min | p50 | p90 | p99 | max |}. */
  public String row(String label) {
    return String.format(
        Locale.ROOT,
        "| %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |",
        label,
        count,
        minMs,
        p50Ms,
        p90Ms,
        p99Ms,
        maxMs);
  }

  /** The header that goes with {@link #row}. */
  public static String header(String what) {
    return "| "
        + what
        + " | n | min ms | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|---:|---:|";
  }
}
