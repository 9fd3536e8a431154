package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.wan.Link;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How many runs the docs benchmark makes per size and link, and how long that should take. The
 * default fits the whole run (1k, 10k, 50k notes, loopback and WAN) in 35 minutes on a quiet
 * machine: 5 loopback runs up to 20,000 notes and 3 above, 3 WAN runs up to 20,000 notes and 1
 * above (over the WAN link the 50,000-note init and clone alone move ~200 MB each for plain rsync,
 * ~82 s apiece at 20 Mbit/s). {@code --runs N} sets every size and link to N, {@code --wan-runs}
 * the WAN link's.
 *
 * <p>The estimate is a model fitted to the figures of 2026-11-26 (a loopback run of the three
 * tools, vault generation included: ~28 s + 1.75 ms per note), plus on a shaped link the bytes of a
 * run at the link's rate (init and clone: rsync 1.02, rsync -z 0.28, vaultsync 0.58 times the vault
 * each, plus rsync's file lists, ~0.3 vaults per run) and ~18 s of round trips per run at 50 ms
 * (the commands' calls and the live edits), scaled with the round trip.
 *
 * @param loopbackRuns runs over loopback, or 0 for the default
 * @param wanRuns runs over the WAN link, or 0 for the default
 * @param rsync whether rsync's two variants run too
 */
record RunPlan(int loopbackRuns, int wanRuns, boolean rsync) {
  /** Sizes above this get the fewer runs of the default. */
  static final int LARGE = 20_000;

  /** Bytes of a generated vault per note (50,000 notes: 204 MB). */
  static final double VAULT_BYTES_PER_NOTE = 4_080;

  /** Runs at {@code notes} over {@code link}. */
  int runs(int notes, Link link) {
    if (link.shaped()) {
      return wanRuns > 0 ? wanRuns : notes > LARGE ? 1 : 3;
    }
    return loopbackRuns > 0 ? loopbackRuns : notes > LARGE ? 3 : 5;
  }

  /** The estimated seconds of {@code runs} runs at {@code notes} over {@code link}. */
  double estimateSeconds(int notes, Link link, int runs) {
    double tools = rsync ? 1 : 0.7;
    double perRun = (28 + 1.75e-3 * notes) * tools;
    if (link.shaped()) {
      double vaults = rsync ? 2 * (1.02 + 0.28 + 0.58) + 0.3 : 2 * 0.58;
      double transfer = vaults * VAULT_BYTES_PER_NOTE * notes / link.bytesPerSecond();
      double roundTrips = (rsync ? 18 : 8) * link.rtt().toMillis() / 50.0;
      perRun += transfer + roundTrips;
    }
    return perRun * runs;
  }

  /** The estimated seconds of the whole plan. */
  double estimateSeconds(List<Integer> sizes, List<Link> links) {
    double s = 0;
    for (int n : sizes) {
      for (Link link : links) {
        s += estimateSeconds(n, link, runs(n, link));
      }
    }
    return s;
  }

  /** "loopback 5/5/3 runs, WAN-shaped link (...) 3/3/1 runs (1,000 / 10,000 / 50,000 notes)". */
  String describe(List<Integer> sizes, List<Link> links) {
    List<String> parts = new ArrayList<>();
    for (Link link : links) {
      List<String> runs = new ArrayList<>();
      for (int n : sizes) {
        runs.add(Integer.toString(runs(n, link)));
      }
      parts.add(
          link.label()
              + " "
              + String.join("/", runs)
              + (runs.equals(List.of("1")) ? " run" : " runs"));
    }
    List<String> n = new ArrayList<>();
    for (int s : sizes) {
      n.add(String.format(Locale.ROOT, "%,d", s));
    }
    return String.join(", ", parts) + " (" + String.join(" / ", n) + " notes)";
  }
}
