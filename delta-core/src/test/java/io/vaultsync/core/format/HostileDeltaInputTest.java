package io.vaultsync.core.format;

import static io.vaultsync.core.format.HostileInputs.LONG_MAX;
import static io.vaultsync.core.format.HostileInputs.TWO_31;
import static io.vaultsync.core.format.HostileInputs.TWO_62_PLUS_1;
import static io.vaultsync.core.format.HostileInputs.assertReaderRejects;
import static io.vaultsync.core.format.HostileInputs.assertRejects;
import static io.vaultsync.core.format.HostileInputs.bothWays;
import static io.vaultsync.core.format.HostileInputs.junk;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaSink;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.HostileInputs.DeltaBytes;
import io.vaultsync.core.format.HostileInputs.OneByteAtATime;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input to {@link DeltaReader} (and through it the LZ4 literal path and the {@link
 * Patcher}): every malformed delta must end in a {@link FormatException} subclass whose message
 * names the bad value; never an OutOfMemoryError, an index exception, a negative array size, a
 * hang, or a wrong output. Each input is read both from an array and one byte per read.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileDeltaInputTest extends HostileFormatInputTest {
  private static final String SEEDS = "io.vaultsync.core.format.HostileInputs#seeds";
  private static final byte[] BASIS = GoldenFiles.basis();
  private static final byte[] TARGET = GoldenFiles.target();
  private static final byte[] DELTA = golden();

  /** The golden delta, patched once so class loading does not count in allocation budgets. */
  private static byte[] golden() {
    try {
      byte[] delta = GoldenFiles.deltaBytes();
      DeltaReader.read(
          new ByteArrayInputStream(delta),
          new Patcher(Basis.of(GoldenFiles.basis()), new ByteArrayOutputStream()));
      return delta;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Patches {@link #BASIS} with {@code delta} read from {@code in}; returns the output. */
  static byte[] patch(InputStream in) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(BASIS), out);
    DeltaReader.read(in, patcher);
    assertThat(patcher.verifiedHash()).isNotNull();
    return out.toByteArray();
  }

  /** Asserts that {@code delta} is rejected, read whole and one byte at a time. */
  static void assertPatchRejects(
      byte[] delta, Class<? extends FormatException> type, String... parts) {
    assertReaderRejects(HostileDeltaInputTest::patch, delta, type, parts);
  }

  /** A sink that accepts any operation, to reach the reader's own checks past the patcher's. */
  static final class NullSink implements DeltaSink {
    @Override
    public void copy(long offset, long length) {}

    @Override
    public void literal(byte[] data, int offset, int length) {}

    @Override
    public void end(long targetLength, ContentHash targetHash) {}
  }

  HostileDeltaInputTest() {
    super(DELTA, HostileDeltaInputTest::patch);
  }

  @Test
  void goldenDeltaPatchesToTarget() throws IOException {
    assertThat(patch(new ByteArrayInputStream(DELTA))).isEqualTo(TARGET);
    assertThat(patch(new OneByteAtATime(DELTA))).isEqualTo(TARGET);
  }

  // ---- truncation, random bytes, bit flips ----

  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void randomBytesAfterAValidHeaderAreRejected(long seed) {
    Random r = new Random(seed);
    byte[] junk = junk(r);
    if (junk.length > 0 && r.nextBoolean()) {
      junk[0] = (byte) r.nextInt(4); // a known opcode, so the operation parsers see junk too
    }
    assertFormatExceptionOnly(DeltaBytes.header().bytes(junk).toBytes());
  }

  /** Random LZ4 blocks with plausible lengths: decompression must fail cleanly or succeed. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void randomLz4BlocksAreRejectedCleanly(long seed) {
    Random r = new Random(seed);
    int raw = 2 + r.nextInt(2000);
    int stored = 1 + r.nextInt(raw - 1);
    byte[] block = new byte[stored];
    r.nextBytes(block);
    if (r.nextBoolean()) {
      block[0] = (byte) 0xf0; // a long run of literals: the decoder's length paths
    }
    assertFormatExceptionOnly(DeltaBytes.header().lz4(raw, stored, block).end(TARGET).toBytes());
  }

  /** Seeded multi-byte corruptions of the golden delta (librsync's mutate.test in spirit). */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void seededByteMutationsAreRejectedOrPatchCorrectly(long seed) {
    Random r = new Random(seed);
    byte[] d = DELTA.clone();
    int n = 1 + r.nextInt(4);
    for (int i = 0; i < n; i++) {
      d[r.nextInt(d.length)] = (byte) r.nextInt(256);
    }
    assertRejectedOrCorrect(d);
  }

  /**
   * Every single-bit flip of the golden delta is rejected, except the four low bits of the last LZ4
   * token (byte 0x18, {@code 50}): they would give the match length of a final sequence that has no
   * match, and LZ4 decoders ignore them, so those deltas still patch to the right target. The
   * whole-target SHA-256 is what guarantees the output, not canonical encoding.
   */
  @Test
  void bitFlipAtEveryBitIsRejectedOrPatchesCorrectly() {
    java.util.List<Integer> accepted = new java.util.ArrayList<>();
    for (int bit = 0; bit < DELTA.length * 8; bit++) {
      byte[] d = DELTA.clone();
      d[bit / 8] ^= (byte) (1 << (bit % 8));
      if (!assertRejectedOrCorrect(d)) {
        accepted.add(bit);
      }
    }
    assertThat(accepted).containsExactly(0x18 * 8, 0x18 * 8 + 1, 0x18 * 8 + 2, 0x18 * 8 + 3);
  }

  /** Returns true if rejected with a FormatException; fails on anything else or a wrong output. */
  private static boolean assertRejectedOrCorrect(byte[] d) {
    for (InputStream in : bothWays(d)) {
      try {
        byte[] out = patch(in);
        assertThat(out).as("output of an accepted corrupt delta").isEqualTo(TARGET);
        return false;
      } catch (FormatException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      } catch (Throwable t) {
        fail("expected a FormatException, got " + t, t);
      }
    }
    return true;
  }

  private static void assertFormatExceptionOnly(byte[] d) {
    HostileInputs.assertFormatExceptionOnly(HostileDeltaInputTest::patch, d);
  }

  // ---- huge declared lengths ----

  enum LengthField {
    COPY_OFFSET,
    COPY_LENGTH,
    LITERAL_LENGTH,
    LZ4_RAW_LENGTH,
    LZ4_STORED_LENGTH,
    END_LENGTH
  }

  static Stream<Arguments> hugeLengths() {
    return Stream.of(LengthField.values())
        .flatMap(
            f ->
                Stream.of(TWO_31, LONG_MAX, TWO_62_PLUS_1, -1L)
                    .filter(v -> v >= 0 || f == LengthField.END_LENGTH) // -1: u64 2^64-1
                    .map(v -> Arguments.of(f, v)));
  }

  /**
   * Every length field declared at 2^31, 2^63-1, 2^62+1 (and the u64 at 2^64-1) fails fast,
   * allocates less than {@link HostileInputs#ALLOCATION_BUDGET}, and names the value (unsigned).
   */
  @ParameterizedTest(name = "{0} = {1}")
  @MethodSource("hugeLengths")
  void hugeDeclaredLengthFailsFastNamingTheValue(LengthField field, long value) {
    DeltaBytes d = DeltaBytes.header();
    switch (field) {
      case COPY_OFFSET -> d.copy(value, 1);
      case COPY_LENGTH -> d.copy(0, value);
      case LITERAL_LENGTH -> d.raw(DeltaFormat.OP_LITERAL).varint(value).raw('x');
      case LZ4_RAW_LENGTH -> d.raw(DeltaFormat.OP_LITERAL_LZ4).varint(value).varint(1).raw(0);
      case LZ4_STORED_LENGTH -> d.raw(DeltaFormat.OP_LITERAL_LZ4).varint(100).varint(value);
      case END_LENGTH -> d.end(value, ContentHash.digestOf(new byte[0]));
    }
    assertPatchRejects(d.toBytes(), CorruptDataException.class, Long.toUnsignedString(value));
  }

  /**
   * Pins a fix: the reader's "longer than 2^62" error named neither the operation's length nor the
   * running total; it now names both.
   */
  @Test
  void operationsAddingUpPast2To62AreRejectedNamingTheLengths() {
    long half = 1L << 61;
    byte[] d = DeltaBytes.header().copy(0, half).copy(half, half).copy(0, 1).toBytes();
    assertRejects(
        () -> DeltaReader.read(new ByteArrayInputStream(d), new NullSink()),
        CorruptDataException.class,
        "of 1 bytes after 4611686018427387904",
        "longer than 2^62");
  }

  /**
   * Pins a fix: an END length with the top bit set (a u64 above 2^63-1) was reported as a negative
   * number ("declares a target of -1 bytes"); the message now gives the unsigned value.
   */
  @Test
  void endLengthAbove2To63IsNamedUnsigned() {
    byte[] d = DeltaBytes.header().end(-1L, ContentHash.digestOf(new byte[0])).toBytes();
    assertPatchRejects(
        d, CorruptDataException.class, "declares a target of 18446744073709551615 bytes");
  }

  // ---- individual rules ----

  @ParameterizedTest(name = "copy {0}+{1}")
  @MethodSource("copiesOutsideTheBasis")
  void copyBeyondTheBasisIsCorrupt(long offset, long length) {
    byte[] d = DeltaBytes.header().copy(offset, length).end(TARGET).toBytes();
    assertPatchRejects(
        d,
        CorruptDataException.class,
        "copy of " + length + " bytes at basis offset " + offset,
        "basis of 108 bytes");
  }

  static Stream<Arguments> copiesOutsideTheBasis() {
    return Stream.of(
        Arguments.of(100L, 20L),
        Arguments.of(108L, 1L),
        Arguments.of(0L, 109L),
        Arguments.of(107L, 2L),
        Arguments.of(1L << 40, 16L));
  }

  @Test
  void zeroLengthCopyIsCorrupt() {
    byte[] d = DeltaBytes.header().copy(5, 0).end(new byte[0]).toBytes();
    assertPatchRejects(d, CorruptDataException.class, "zero-length copy", "offset 5");
  }

  @Test
  void zeroLengthLiteralIsCorrupt() {
    byte[] d = DeltaBytes.header().raw(DeltaFormat.OP_LITERAL).varint(0).end(new byte[0]).toBytes();
    assertPatchRejects(d, CorruptDataException.class, "of 0 bytes", "expected 1..1048576");
  }

  @Test
  void zeroLengthLz4LiteralIsCorrupt() {
    byte[] d = DeltaBytes.header().lz4(0, 0, new byte[0]).end(new byte[0]).toBytes();
    assertPatchRejects(d, CorruptDataException.class, "of 0 bytes", "expected 1..1048576");
  }

  @Test
  void missingEndMarkerIsTruncated() {
    byte[] afterOps = DeltaBytes.header().copy(0, 10).literal(new byte[] {1, 2}).toBytes();
    assertPatchRejects(
        afterOps, TruncatedInputException.class, "at offset " + afterOps.length, "no end marker");
    byte[] headerOnly = DeltaBytes.header().toBytes();
    assertPatchRejects(headerOnly, TruncatedInputException.class, "at offset 5", "no end marker");
  }

  @ParameterizedTest(name = "{0} trailing bytes")
  @ValueSource(ints = {1, 2, 1000})
  void trailingBytesAfterEndAreCorrupt(int extra) {
    byte[] d = Arrays.copyOf(DELTA, DELTA.length + extra);
    d[DELTA.length] = 0x42;
    assertPatchRejects(
        d,
        CorruptDataException.class,
        "trailing bytes after the end marker at offset " + DELTA.length,
        "0x42");
  }

  @Test
  void validDeltaFollowedByAnotherValidDeltaIsCorrupt() {
    byte[] d = Arrays.copyOf(DELTA, 2 * DELTA.length);
    System.arraycopy(DELTA, 0, d, DELTA.length, DELTA.length);
    assertPatchRejects(d, CorruptDataException.class, "trailing bytes", "0x76");
  }

  @Test
  void lz4BlockExpandingPastItsDeclaredRawLengthIsCorrupt() {
    byte[] raw = new byte[100];
    Arrays.fill(raw, (byte) 'a');
    byte[] block = new byte[Lz4Blocks.maxCompressedLength(raw.length)];
    int stored = Lz4Blocks.compress(raw, raw.length, block);
    assertThat(stored).isLessThan(50);
    byte[] d =
        DeltaBytes.header()
            .lz4(50, stored, Arrays.copyOf(block, stored))
            .end(Arrays.copyOf(raw, 50))
            .toBytes();
    assertPatchRejects(
        d, CorruptDataException.class, "LZ4 literal at offset 5", "declared to expand to 50");
  }

  @Test
  void lz4BlockStoppingShortOfItsDeclaredRawLengthIsCorrupt() {
    byte[] raw = new byte[100];
    Arrays.fill(raw, (byte) 'a');
    byte[] block = new byte[Lz4Blocks.maxCompressedLength(raw.length)];
    int stored = Lz4Blocks.compress(raw, raw.length, block);
    byte[] d =
        DeltaBytes.header()
            .lz4(200, stored, Arrays.copyOf(block, stored))
            .end(new byte[200])
            .toBytes();
    assertPatchRejects(d, CorruptDataException.class, "LZ4 literal at offset 5", "200");
  }

  @Test
  void lz4RawLengthOverOneMebibyteIsCorrupt() {
    long raw = DeltaFormat.MAX_LITERAL_LENGTH + 1L;
    byte[] d = DeltaBytes.header().lz4(raw, 10, new byte[10]).end(new byte[0]).toBytes();
    assertPatchRejects(d, CorruptDataException.class, "1048577 bytes", "expected 1..1048576");
  }

  @Test
  void literalLengthOverOneMebibyteIsCorrupt() {
    byte[] d =
        DeltaBytes.header()
            .raw(DeltaFormat.OP_LITERAL)
            .varint(DeltaFormat.MAX_LITERAL_LENGTH + 1L)
            .toBytes();
    assertPatchRejects(d, CorruptDataException.class, "1048577 bytes", "expected 1..1048576");
  }

  @ParameterizedTest(name = "raw 100, stored {0}")
  @ValueSource(longs = {0, 100, 101})
  void lz4StoredLengthOutside1ToRawMinus1IsCorrupt(long stored) {
    byte[] d =
        DeltaBytes.header().raw(DeltaFormat.OP_LITERAL_LZ4).varint(100).varint(stored).toBytes();
    assertPatchRejects(
        d, CorruptDataException.class, "stores " + stored + " bytes for 100", "expected 1..99");
  }

  @ParameterizedTest(name = "opcode {0}")
  @ValueSource(ints = {0x04, 0x10, 0x7f, 0x80, 0xff})
  void unknownOpcodeIsCorrupt(int opcode) {
    byte[] d = DeltaBytes.header().copy(0, 3).raw(opcode).end(TARGET).toBytes();
    assertPatchRejects(
        d,
        CorruptDataException.class,
        "unknown operation code 0x" + Integer.toHexString(opcode) + " at offset 8");
  }

  @Test
  void overlongVarintIsCorrupt() {
    // 10 bytes: nine with the continuation bit, then a final byte.
    byte[] d =
        DeltaBytes.header()
            .raw(DeltaFormat.OP_COPY, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01)
            .raw(1)
            .end(TARGET)
            .toBytes();
    assertPatchRejects(
        d, CorruptDataException.class, "a copy offset at offset 6", "longer than 9 bytes");
  }

  @Test
  void nineByteVarintWithContinuationBitIsCorrupt() {
    byte[] d =
        DeltaBytes.header()
            .raw(DeltaFormat.OP_LITERAL, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff)
            .toBytes();
    assertPatchRejects(d, CorruptDataException.class, "a literal length", "longer than 9 bytes");
  }

  @Test
  void varintWithARedundantZeroByteIsCorrupt() {
    byte[] zero = DeltaBytes.header().raw(DeltaFormat.OP_COPY, 0x80, 0x00, 0x01).toBytes();
    assertPatchRejects(
        zero, CorruptDataException.class, "a copy offset at offset 6", "redundant zero byte");
    byte[] five = DeltaBytes.header().raw(DeltaFormat.OP_COPY, 0x00, 0x85, 0x00).toBytes();
    assertPatchRejects(
        five, CorruptDataException.class, "a copy length at offset 7", "redundant zero byte");
  }

  @Test
  void largestVarintIsAcceptedAsAValue() {
    // 2^63-1 in 9 bytes is well-formed; the copy it declares is then out of range.
    byte[] d =
        DeltaBytes.header()
            .raw(DeltaFormat.OP_COPY, 0)
            .raw(0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f)
            .toBytes();
    assertPatchRejects(d, CorruptDataException.class, "9223372036854775807 bytes", "2^62");
  }

  @ParameterizedTest(name = "magic {0}")
  @ValueSource(strings = {"76737367", "00000000", "5653444c", "7673646d"})
  void wrongMagicIsBadHeader(String magic) {
    byte[] d = DeltaBytes.empty().bytes(java.util.HexFormat.of().parseHex(magic)).raw(1).toBytes();
    assertPatchRejects(d, BadHeaderException.class, "magic " + magic, "expected 7673646c");
  }

  @Test
  void signatureGivenAsDeltaIsBadHeader() throws IOException {
    assertPatchRejects(
        GoldenFiles.signatureBytes(), BadHeaderException.class, "magic 76737367", "vsdl");
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {0, 2, 0x7f, 0xff})
  void unsupportedVersionIsBadHeader(int version) {
    byte[] d = DELTA.clone();
    d[4] = (byte) version;
    assertPatchRejects(
        d, BadHeaderException.class, "delta version " + version + " is not supported");
  }

  @ParameterizedTest(name = "declared {0}")
  @ValueSource(longs = {0, 126, 128, 1L << 40})
  void endLengthThatDisagreesWithTheOperationsIsCorrupt(long declared) {
    byte[] d = DELTA.clone();
    for (int i = 0; i < 8; i++) {
      d[0x2a + i] = (byte) (declared >>> (56 - 8 * i));
    }
    assertPatchRejects(
        d,
        CorruptDataException.class,
        "declares a target of " + declared + " bytes",
        "add up to 127");
  }

  @Test
  void endHashThatDisagreesWithTheOutputIsCorrupt() {
    byte[] d = DELTA.clone();
    d[d.length - 1] ^= 1;
    String declared = java.util.HexFormat.of().formatHex(d, d.length - 32, d.length);
    assertPatchRejects(
        d, CorruptDataException.class, "declares " + declared, ContentHash.digestOf(TARGET).hex());
  }

  // ---- a bound on the target (issue 12: 4 x COPY(0, 500 MB) in a 74-byte delta) ----

  /**
   * Pins issue 12 item 9: a delta of a few bytes that copies the whole basis again and again is
   * refused by a patcher bounded to a target length, before the copy that crosses the bound writes
   * a byte; the bytes already written are the earlier copies only. Whole and one byte at a time.
   */
  @Test
  void repeatedWholeBasisCopiesPastTheTargetBoundAreRefusedBeforeWriting() {
    byte[] basis = new byte[1 << 20];
    new Random(12).nextBytes(basis);
    long bound = 2L << 20;
    byte[] d =
        DeltaBytes.header()
            .copy(0, basis.length)
            .copy(0, basis.length)
            .copy(0, basis.length)
            .copy(0, basis.length)
            .end(4L << 20, ContentHash.digestOf(new byte[0]))
            .toBytes();
    assertThat(d.length).isLessThan(100);
    for (InputStream in : bothWays(d)) {
      CountingSink out = new CountingSink();
      Throwable t =
          org.assertj.core.api.Assertions.catchThrowable(
              () -> DeltaReader.read(in, new Patcher(Basis.of(basis), out, null, bound)));
      assertThat(t)
          .isInstanceOf(io.vaultsync.core.delta.TargetTooLargeException.class)
          .hasMessageContaining("at least " + (3L << 20) + " bytes")
          .hasMessageContaining("at most " + bound);
      var tooLarge = (io.vaultsync.core.delta.TargetTooLargeException) t;
      assertThat(tooLarge.reached()).isEqualTo(3L << 20);
      assertThat(tooLarge.limit()).isEqualTo(bound);
      assertThat(out.count).as("bytes written before the refusal").isLessThanOrEqualTo(bound);
    }
  }

  /** A literal that would cross the bound is refused too; a target exactly at it patches. */
  @Test
  void literalPastTheTargetBoundIsRefusedAndATargetAtTheBoundPatches() throws IOException {
    byte[] data = new byte[100];
    new Random(7).nextBytes(data);
    byte[] exact = DeltaBytes.header().literal(data).end(data).toBytes();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(new byte[0]), out, null, 100);
    DeltaReader.read(new ByteArrayInputStream(exact), patcher);
    assertThat(out.toByteArray()).isEqualTo(data);

    Throwable t =
        org.assertj.core.api.Assertions.catchThrowable(
            () ->
                DeltaReader.read(
                    new ByteArrayInputStream(exact),
                    new Patcher(Basis.of(new byte[0]), new ByteArrayOutputStream(), null, 99)));
    assertThat(t)
        .isInstanceOf(io.vaultsync.core.delta.TargetTooLargeException.class)
        .hasMessageContaining("at least 100 bytes; at most 99");
  }

  /** An output that only counts what it is given. */
  private static final class CountingSink extends java.io.OutputStream {
    long count;

    @Override
    public void write(int b) {
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      count += len;
    }
  }
}
