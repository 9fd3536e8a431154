package io.vaultsync.benchmarks;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Locale;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * Delta encoding (matcher + delta writer with LZ4 literals) of a {@code sizeMiB} target against a
 * prepared signature of its basis, fed in 256 KiB buffers as {@code Deltas} does, into a counting
 * stream. The setup checks once that the delta patches back to the target and prints its size.
 */
public class DeltaBenchmark extends EngineBenchmark {
  static final int FEED = 256 * 1024;

  @Param({"IDENTICAL", "ONE_EDIT", "SPARSE", "PREPEND", "SCATTERED", "UNRELATED"})
  BenchData.Scenario scenario;

  @Param({"TEXT", "BINARY"})
  BenchData.Kind kind;

  private byte[] target;
  private Signature signature;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    byte[] basis = input(kind);
    target = BenchData.target(kind, scenario, basis, blockLength);
    signature =
        SignatureBuilder.of(basis, SignatureParams.withBlockLength(basis.length, blockLength));
    ByteArrayOutputStream delta = new ByteArrayOutputStream();
    DeltaStats stats = encode(signature, target, new DeltaWriter(delta));
    verifyRoundTrip(basis, delta.toByteArray(), target);
    System.out.println(describe(kind, scenario, stats));
  }

  @Benchmark
  public DeltaStats delta() throws IOException {
    return encode(signature, target, new DeltaWriter(new CountingOutputStream()));
  }

  static DeltaStats encode(Signature signature, byte[] target, DeltaWriter writer)
      throws IOException {
    DeltaEncoder encoder = new DeltaEncoder(signature, writer);
    for (int off = 0; off < target.length; off += FEED) {
      encoder.update(target, off, Math.min(FEED, target.length - off));
    }
    encoder.finish();
    return writer.stats();
  }

  /** Patches {@code delta} onto {@code basis}; throws unless the output is {@code target}. */
  static void verifyRoundTrip(byte[] basis, byte[] delta, byte[] target) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(target.length);
    DeltaReader.read(new ByteArrayInputStream(delta), new Patcher(Basis.of(basis), out));
    if (!java.util.Arrays.equals(out.toByteArray(), target)) {
      throw new IllegalStateException("patched output differs from the target");
    }
  }

  static String describe(BenchData.Kind kind, BenchData.Scenario scenario, DeltaStats s) {
    return String.format(
        Locale.ROOT,
        "# delta %s/%s: target %d bytes -> delta %d bytes (%.4f of target), literal %d bytes,"
            + " %d copy ops, %d literal ops",
        kind.name().toLowerCase(Locale.ROOT),
        scenario.label(),
        s.targetBytes(),
        s.deltaBytes(),
        (double) s.deltaBytes() / Math.max(1, s.targetBytes()),
        s.literalBytes(),
        s.copyOps(),
        s.literalOps());
  }
}
