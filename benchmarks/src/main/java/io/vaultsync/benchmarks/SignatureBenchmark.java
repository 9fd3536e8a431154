package io.vaultsync.benchmarks;

import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/** The signature of a {@code sizeMiB} basis: weak sum and SHA-256 per block. */
public class SignatureBenchmark extends EngineBenchmark {
  @Param({"TEXT", "BINARY"})
  BenchData.Kind kind;

  private byte[] basis;
  private SignatureParams params;

  @Setup(Level.Trial)
  public void setUp() {
    basis = input(kind);
    params = SignatureParams.withBlockLength(basis.length, blockLength);
  }

  @Benchmark
  public Signature signature() {
    return SignatureBuilder.of(basis, params);
  }
}
