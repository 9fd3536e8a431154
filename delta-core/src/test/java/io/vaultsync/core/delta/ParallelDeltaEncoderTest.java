package io.vaultsync.core.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The segment-parallel encoder produces correct deltas that are no larger than one thread's. */
class ParallelDeltaEncoderTest {
  private static ExecutorService pool;

  @BeforeAll
  static void start() {
    pool = Executors.newFixedThreadPool(2);
  }

  @AfterAll
  static void stop() {
    pool.shutdownNow();
  }

  record Result(byte[] delta, DeltaStats stats) {}

  static Result parallel(Signature sig, byte[] target, int segment, int inFlight)
      throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaWriter w = new DeltaWriter(out);
    new ParallelDeltaEncoder(sig, pool, segment, inFlight)
        .encode(new ByteArrayInputStream(target), w);
    return new Result(out.toByteArray(), w.stats());
  }

  static Result serial(Signature sig, byte[] target) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaWriter w = new DeltaWriter(out);
    DeltaEncoder e = new DeltaEncoder(sig, w);
    e.update(target, 0, target.length);
    e.finish();
    return new Result(out.toByteArray(), w.stats());
  }

  static byte[] patch(byte[] basis, byte[] delta) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaReader.read(new ByteArrayInputStream(delta), new Patcher(Basis.of(basis), out));
    return out.toByteArray();
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void seededEditsRoundTripAcrossSegmentBoundaries(long seed) throws IOException {
    System.out.println("ParallelDeltaEncoderTest seed=" + seed);
    Random r = new Random(seed);
    byte[] basis = Mutations.text(r, 200_000 + r.nextInt(100_000));
    byte[] target = basis;
    for (int i = 0; i < 1 + r.nextInt(8); i++) {
      target = Mutations.mutate(r, target);
    }
    int block = new int[] {16, 64, 256, 1024}[r.nextInt(4)];
    Signature sig =
        SignatureBuilder.of(basis, SignatureParams.withBlockLength(basis.length, block));
    int segment = Math.max(block, 1000 + r.nextInt(20_000));
    Result p = parallel(sig, target, segment, 1 + r.nextInt(3));
    assertThat(patch(basis, p.delta())).isEqualTo(target);
    // Greedy matching may pick a different chain after a boundary; it never costs more than a
    // block per boundary.
    long boundaries = target.length / segment;
    assertThat(p.stats().literalBytes())
        .isLessThanOrEqualTo(serial(sig, target).stats().literalBytes() + boundaries * block);
  }

  /** Pins the fix for a prepend costing one block of literal per segment (111 KB at 256 MiB). */
  @Test
  void prependCostsNoLiteralAtSegmentBoundaries() throws IOException {
    Random r = new Random(42);
    byte[] basis = Mutations.random(r, 1 << 20);
    byte[] target = Mutations.splice(basis, 0, 0, Mutations.random(r, 1000));
    Signature sig = SignatureBuilder.of(basis, SignatureParams.withBlockLength(basis.length, 2048));
    Result p = parallel(sig, target, 64 * 1024, 3);
    assertThat(patch(basis, p.delta())).isEqualTo(target);
    assertThat(p.stats().literalBytes()).isEqualTo(1000);
    assertThat(p.stats().copyOps()).isEqualTo(1);
  }

  @Test
  void emptyAndTinyTargets() throws IOException {
    byte[] basis = Mutations.text(new Random(3), 10_000);
    Signature sig = SignatureBuilder.of(basis, SignatureParams.withBlockLength(basis.length, 64));
    for (byte[] target : new byte[][] {new byte[0], new byte[] {7}, basis}) {
      assertThat(patch(basis, parallel(sig, target, 64, 2).delta())).isEqualTo(target);
    }
  }
}
