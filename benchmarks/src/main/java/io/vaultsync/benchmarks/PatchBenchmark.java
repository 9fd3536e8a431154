package io.vaultsync.benchmarks;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Patching: reads a prepared delta (LZ4 literals decompressed), copies from an in-memory basis and
 * writes the {@code sizeMiB} output to a counting stream; the patcher hashes the output with
 * SHA-256 and fails unless it matches the hash in the delta, so the check is part of the cost.
 */
public class PatchBenchmark extends EngineBenchmark {
  @Param({"IDENTICAL", "ONE_EDIT", "SPARSE", "PREPEND", "SCATTERED", "UNRELATED"})
  BenchData.Scenario scenario;

  @Param({"TEXT", "BINARY"})
  BenchData.Kind kind;

  private byte[] basis;
  private byte[] delta;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    basis = input(kind);
    byte[] target = BenchData.target(kind, scenario, basis, blockLength);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaBenchmark.encode(
        SignatureBuilder.of(basis, SignatureParams.withBlockLength(basis.length, blockLength)),
        target,
        new DeltaWriter(out));
    delta = out.toByteArray();
    DeltaBenchmark.verifyRoundTrip(basis, delta, target);
  }

  /** Returns the bytes written; the patcher has verified their hash. */
  @Benchmark
  public long patch() throws IOException {
    CountingOutputStream out = new CountingOutputStream();
    Patcher patcher = new Patcher(Basis.of(basis), out);
    DeltaReader.read(new ByteArrayInputStream(delta), patcher);
    if (patcher.verifiedHash() == null) {
      throw new IllegalStateException("patch ended without a verified hash");
    }
    return out.count();
  }
}
