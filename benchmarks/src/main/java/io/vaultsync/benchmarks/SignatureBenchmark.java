package io.vaultsync.benchmarks;

import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The signature of a {@code sizeMiB} basis: weak sum and SHA-256 per block. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(1)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class SignatureBenchmark {
  @Param({"TEXT", "BINARY"})
  BenchData.Kind kind;

  @Param("64")
  int sizeMiB;

  @Param("2048")
  int blockLength;

  private byte[] basis;
  private SignatureParams params;

  @Setup(Level.Trial)
  public void setUp() {
    basis = BenchData.basis(kind, sizeMiB * BenchData.MIB);
    params = SignatureParams.withBlockLength(basis.length, blockLength);
  }

  @Benchmark
  public Signature signature() {
    return SignatureBuilder.of(basis, params);
  }
}
