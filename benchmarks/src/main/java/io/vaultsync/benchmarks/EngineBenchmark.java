package io.vaultsync.benchmarks;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the JMH benchmarks of delta-core's engine share (JMH reads these annotations and parameters
 * from the superclass): the average time of one operation in milliseconds, one fork, two warm-up
 * and three measured iterations, over {@code sizeMiB} of input cut in blocks of {@code blockLength}
 * bytes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public abstract class EngineBenchmark {
  @Param("64")
  int sizeMiB;

  @Param("2048")
  int blockLength;

  /** {@code sizeMiB} of generated content of {@code kind}. */
  byte[] input(BenchData.Kind kind) {
    return BenchData.basis(kind, sizeMiB * BenchData.MIB);
  }
}
