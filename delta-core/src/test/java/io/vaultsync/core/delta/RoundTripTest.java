package io.vaultsync.core.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.format.ChunkedInputStream;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The "triple" test (after librsync's tests/triple.test): signature → delta → patch for every basis
 * × target pair of a corpus, for several block lengths and input chunkings, including one byte at a
 * time.
 */
class RoundTripTest {
  private static final int[] BLOCKS = {16, 64, 256, 2048};
  private static final int[] CHUNKS = {1, 7, 4096, Integer.MAX_VALUE};

  static List<byte[]> corpus() {
    Random r = new Random(20261126);
    byte[] text = Mutations.text(r, 20_000);
    List<byte[]> c = new ArrayList<>();
    c.add(new byte[0]);
    c.add(new byte[] {42});
    c.add(Mutations.text(r, 15)); // shorter than any block
    c.add(text);
    c.add(Mutations.splice(text, 10_000, 1, "X".getBytes())); // one-byte edit
    c.add(Mutations.splice(text, 0, 0, Mutations.random(r, 333))); // prepend
    c.add(Mutations.splice(text, text.length, 0, Mutations.random(r, 333))); // append
    c.add(Mutations.random(r, 20_000)); // unrelated
    c.add(new byte[8192]); // zeros: many identical blocks
    return c;
  }

  static Stream<Arguments> pairs() {
    List<byte[]> c = corpus();
    List<Arguments> args = new ArrayList<>();
    for (int i = 0; i < c.size(); i++) {
      for (int j = 0; j < c.size(); j++) {
        for (int block : BLOCKS) {
          args.add(Arguments.of(i, j, block));
        }
      }
    }
    return args.stream();
  }

  @ParameterizedTest(name = "basis {0} → target {1}, block {2}")
  @MethodSource("pairs")
  void everyPairRoundTripsAtEveryChunking(int basisIndex, int targetIndex, int block)
      throws IOException {
    List<byte[]> c = corpus();
    byte[] basis = c.get(basisIndex);
    byte[] target = c.get(targetIndex);
    for (int chunk : CHUNKS) {
      assertThat(roundTrip(basis, target, block, chunk)).as("chunk %d", chunk).isEqualTo(target);
    }
  }

  static Stream<Arguments> seeds() {
    return Stream.iterate(1L, s -> s + 1).limit(60).map(Arguments::of);
  }

  @ParameterizedTest(name = "seed {0}")
  @MethodSource("seeds")
  void seededRandomEditsRoundTrip(long seed) throws IOException {
    System.out.println("RoundTripTest.seededRandomEditsRoundTrip seed=" + seed);
    Random r = new Random(seed);
    byte[] basis =
        r.nextBoolean()
            ? Mutations.text(r, r.nextInt(50_000))
            : Mutations.random(r, r.nextInt(50_000));
    byte[] target = basis;
    int edits = 1 + r.nextInt(6);
    for (int i = 0; i < edits; i++) {
      target = Mutations.mutate(r, target);
    }
    int block = BLOCKS[r.nextInt(BLOCKS.length)];
    int chunk = 1 + r.nextInt(10_000);
    assertThat(roundTrip(basis, target, block, chunk)).isEqualTo(target);
  }

  @Test
  void identicalFilesAreOneCopy() throws IOException {
    byte[] data = Mutations.text(new Random(7), 100_000);
    DeltaStats stats = encode(data, data, 1024, 4096).stats();
    assertThat(stats.literalBytes()).isZero();
    assertThat(stats.copyOps()).isEqualTo(1);
    assertThat(stats.copiedBytes()).isEqualTo(data.length);
  }

  @Test
  void oneByteEditCostsAboutOneBlockOfLiteral() throws IOException {
    byte[] basis = Mutations.text(new Random(8), 100_000);
    byte[] target = basis.clone();
    target[50_000] ^= 1;
    DeltaStats stats = encode(basis, target, 1024, 4096).stats();
    assertThat(stats.literalBytes()).isEqualTo(1024);
    assertThat(stats.copyOps()).isEqualTo(2);
  }

  @Test
  void prependedDataIsFoundByRolling() throws IOException {
    Random r = new Random(9);
    byte[] basis = Mutations.text(r, 100_000);
    byte[] target = Mutations.splice(basis, 0, 0, Mutations.random(r, 777));
    DeltaStats stats = encode(basis, target, 1024, 4096).stats();
    assertThat(stats.literalBytes()).isEqualTo(777);
    assertThat(stats.copiedBytes()).isEqualTo(basis.length);
  }

  @Test
  void literalTextIsCompressed() throws IOException {
    byte[] target = Mutations.text(new Random(10), 200_000);
    Enc e = encode(new byte[0], target, 1024, 65536);
    assertThat(e.stats().literalBytes()).isEqualTo(target.length);
    assertThat(e.delta().length).isLessThan(target.length * 6 / 10);
  }

  @Test
  void wrongBasisFailsTheWholeFileHashCheck() throws IOException {
    Random r = new Random(11);
    byte[] basis = Mutations.text(r, 10_000);
    byte[] target = Mutations.splice(basis, 5000, 10, new byte[] {1, 2, 3});
    byte[] delta = encode(basis, target, 256, 4096).delta();
    byte[] otherBasis = basis.clone();
    otherBasis[100] ^= 0x20;
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () ->
                DeltaReader.read(
                    new ByteArrayInputStream(delta),
                    new Patcher(Basis.of(otherBasis), new ByteArrayOutputStream())))
        .isInstanceOf(io.vaultsync.core.format.CorruptDataException.class)
        .hasMessageContaining("hash");
  }

  record Enc(byte[] delta, DeltaStats stats) {}

  static Enc encode(byte[] basis, byte[] target, int block, int chunk) throws IOException {
    Signature sig = signature(basis, block, chunk);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaWriter writer = new DeltaWriter(out);
    DeltaEncoder encoder = new DeltaEncoder(sig, writer);
    for (int off = 0; off < target.length; off += chunk) {
      encoder.update(target, off, Math.min(chunk, target.length - off));
    }
    encoder.finish();
    return new Enc(out.toByteArray(), writer.stats());
  }

  static Signature signature(byte[] basis, int block, int chunk) {
    SignatureBuilder sb =
        new SignatureBuilder(SignatureParams.withBlockLength(basis.length, block));
    for (int off = 0; off < basis.length; off += chunk) {
      sb.update(basis, off, Math.min(chunk, basis.length - off));
    }
    return sb.finish();
  }

  static byte[] roundTrip(byte[] basis, byte[] target, int block, int chunk) throws IOException {
    byte[] delta = encode(basis, target, block, chunk).delta();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(basis), out);
    InputStream in = new ChunkedInputStream(delta, chunk);
    DeltaReader.read(in, patcher);
    assertThat(patcher.verifiedHash()).isEqualTo(ContentHash.digestOf(target));
    return out.toByteArray();
  }
}
