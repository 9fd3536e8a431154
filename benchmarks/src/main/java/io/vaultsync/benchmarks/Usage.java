package io.vaultsync.benchmarks;

/**
 * CPU time and peak resident memory of one or more processes during a scenario; -1 in a field means
 * not measured (no {@code /usr/bin/time}, not Linux).
 *
 * @param cpuNanos user + system CPU time, summed over the processes
 * @param peakRssKib the largest peak RSS of any one of them, KiB
 */
public record Usage(long cpuNanos, long peakRssKib) {
  /** Nothing measured. */
  public static final Usage NONE = new Usage(-1, -1);

  public Usage {
    if (cpuNanos < -1 || peakRssKib < -1) {
      throw new IllegalArgumentException(
          "cpu " + cpuNanos + " ns, peak RSS " + peakRssKib + " KiB; expected >= 0 or -1 (n/a)");
    }
  }

  /** The usage of two processes that ran one after the other: CPU adds up, the peak is the max. */
  public Usage plus(Usage o) {
    return new Usage(
        cpuNanos < 0 || o.cpuNanos < 0 ? -1 : cpuNanos + o.cpuNanos,
        peakRssKib < 0 || o.peakRssKib < 0 ? -1 : Math.max(peakRssKib, o.peakRssKib));
  }
}
