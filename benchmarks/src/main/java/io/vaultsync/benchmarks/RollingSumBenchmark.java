package io.vaultsync.benchmarks;

import io.vaultsync.core.internal.RollingChecksum;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Setup;

/**
 * The weak rolling sum over {@code sizeMiB} of text: rolled one byte at a time through the whole
 * input (what the matcher does where data changed), and computed afresh per block (what the
 * signature and the matcher's resync do). One operation covers the whole input.
 */
public class RollingSumBenchmark extends EngineBenchmark {
  private byte[] data;
  private int outFactor;

  @Setup
  public void setUp() {
    data = input(BenchData.Kind.TEXT);
    outFactor = RollingChecksum.power(blockLength);
  }

  /** Rolls the window through every byte; returns a sum over all windows so nothing is dead. */
  @Benchmark
  public int roll() {
    final byte[] d = data;
    final int n = blockLength;
    final int f = outFactor;
    int sum = RollingChecksum.of(d, 0, n);
    int acc = sum;
    for (int i = 0, end = d.length - n; i < end; i++) {
      sum = RollingChecksum.roll(sum, f, d[i], d[i + n]);
      acc ^= sum;
    }
    return acc;
  }

  /** Sums every block afresh. */
  @Benchmark
  public int blockSums() {
    final byte[] d = data;
    final int n = blockLength;
    int acc = 0;
    for (int off = 0; off + n <= d.length; off += n) {
      acc ^= RollingChecksum.of(d, off, n);
    }
    return acc;
  }
}
