package io.vaultsync.core.format;

import static io.vaultsync.core.format.HostileInputs.LONG_MAX;
import static io.vaultsync.core.format.HostileInputs.TWO_31;
import static io.vaultsync.core.format.HostileInputs.TWO_62_PLUS_1;
import static io.vaultsync.core.format.HostileInputs.assertReaderRejects;
import static io.vaultsync.core.format.HostileInputs.junk;
import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.format.HostileInputs.DeltaBytes;
import io.vaultsync.core.format.HostileInputs.OneByteAtATime;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Random;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Hostile input to {@link SignatureFormat#read}: a clean {@link FormatException} naming the bad
 * value, never an OutOfMemoryError, an index exception, a negative array size or a hang; and a
 * header that declares many blocks allocates nothing much until their bytes arrive.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HostileSignatureInputTest extends HostileFormatInputTest {
  private static final String SEEDS = "io.vaultsync.core.format.HostileInputs#seeds";
  private static final byte[] SIG = golden();

  /** The golden signature, read once so class loading does not count in allocation budgets. */
  private static byte[] golden() {
    try {
      byte[] sig = GoldenFiles.signatureBytes();
      SignatureFormat.read(new ByteArrayInputStream(sig));
      return sig;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static void assertReadRejects(
      byte[] sig, Class<? extends FormatException> type, String... parts) {
    assertReaderRejects(SignatureFormat::read, sig, type, parts);
  }

  /** A header with the given fields and nothing after it. */
  static DeltaBytes header(int version, int strong, long block, long basis) {
    return DeltaBytes.empty()
        .bytes(SignatureFormat.MAGIC)
        .raw(version, strong)
        .raw((int) (block >>> 24), (int) (block >>> 16), (int) (block >>> 8), (int) block)
        .u64(basis);
  }

  /** Appends a correct CRC32C of everything so far. */
  static byte[] withCrc(byte[] body) {
    CRC32C crc = new CRC32C();
    crc.update(body);
    int c = (int) crc.getValue();
    return DeltaBytes.empty().bytes(body).raw(c >>> 24, c >>> 16, c >>> 8, c).toBytes();
  }

  HostileSignatureInputTest() {
    super(SIG, SignatureFormat::read);
  }

  @Test
  void goldenSignatureReadsBothWays() throws IOException {
    Signature s = GoldenFiles.signature();
    assertThat(SignatureFormat.read(new ByteArrayInputStream(SIG))).isEqualTo(s);
    assertThat(SignatureFormat.read(new OneByteAtATime(SIG))).isEqualTo(s);
  }

  @Test
  void emptyBasisSignatureRoundTrips() throws IOException {
    Signature s = SignatureBuilder.of(new byte[0], new SignatureParams(16, 4));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SignatureFormat.write(s, out);
    assertThat(out.size()).isEqualTo(SignatureFormat.HEADER_LENGTH + 4);
    assertThat(SignatureFormat.read(new ByteArrayInputStream(out.toByteArray()))).isEqualTo(s);
  }

  @Test
  void bitFlipAtEveryBitIsRejected() {
    for (int bit = 0; bit < SIG.length * 8; bit++) {
      byte[] s = SIG.clone();
      s[bit / 8] ^= (byte) (1 << (bit % 8));
      assertFormatExceptionOnly(s);
    }
  }

  /** Random bytes after a valid magic and version, so the header fields are random. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void randomBytesAfterAValidMagicAreRejected(long seed) {
    Random r = new Random(seed);
    byte[] junk = junk(r);
    assertFormatExceptionOnly(
        DeltaBytes.empty()
            .bytes(SignatureFormat.MAGIC)
            .raw(SignatureFormat.VERSION)
            .bytes(junk)
            .toBytes());
  }

  /** Random block entries after a valid header: the CRC (or the length) must catch them. */
  @ParameterizedTest(name = "seed {0}")
  @MethodSource(SEEDS)
  void randomBlocksAfterAValidHeaderAreRejected(long seed) {
    Random r = new Random(seed);
    byte[] junk = junk(r);
    assertFormatExceptionOnly(header(SignatureFormat.VERSION, 6, 16, 108).bytes(junk).toBytes());
  }

  private static void assertFormatExceptionOnly(byte[] s) {
    HostileInputs.assertFormatExceptionOnly(SignatureFormat::read, s);
  }

  /**
   * Pins a fix: the u32 block length was read as a signed int, so 2^31 and above were reported as
   * negative numbers ("block length -2147483648"); the message now gives the unsigned value.
   */
  @ParameterizedTest(name = "block length {0}")
  @ValueSource(longs = {0, 15, 1048577, TWO_31, 0xffffffffL})
  void blockLengthOutOfRangeIsCorruptNamingTheUnsignedValue(long block) {
    assertReadRejects(
        header(SignatureFormat.VERSION, 6, block, 108).toBytes(),
        CorruptDataException.class,
        "block length " + block + ";",
        "expected 16..1048576");
  }

  @ParameterizedTest(name = "strong length {0}")
  @ValueSource(ints = {0, 3, 17, 255})
  void strongLengthOutOfRangeIsCorrupt(int strong) {
    assertReadRejects(
        header(SignatureFormat.VERSION, strong, 16, 108).toBytes(),
        CorruptDataException.class,
        "strong hash length " + strong + ";",
        "expected 4..16");
  }

  /** Pins a fix: a u64 basis length above 2^63-1 was reported as a negative number. */
  @ParameterizedTest(name = "basis length {0}")
  @ValueSource(longs = {TWO_62_PLUS_1, LONG_MAX, -1L})
  void basisLengthOver2To62IsCorruptNamingTheUnsignedValue(long basis) {
    assertReadRejects(
        header(SignatureFormat.VERSION, 6, 16, basis).toBytes(),
        CorruptDataException.class,
        "basis length " + Long.toUnsignedString(basis) + ";",
        "expected 0..2^62");
  }

  @Test
  void basisOf2To31InBlocksOf16HasTooManyBlocks() {
    assertReadRejects(
        header(SignatureFormat.VERSION, 6, 16, TWO_31).toBytes(),
        CorruptDataException.class,
        "2147483648-byte basis",
        "134217728 blocks",
        "at most 33554432");
  }

  /** A legal header declaring 2^25 blocks: fails at the first missing byte, allocating little. */
  @Test
  void headerDeclaringTheMostBlocksFailsFastWhenTheyDoNotArrive() {
    assertReadRejects(
        header(SignatureFormat.VERSION, 16, 16, 16L << 25).toBytes(),
        TruncatedInputException.class,
        "block 0 of 33554432");
    assertReadRejects(
        header(SignatureFormat.VERSION, 16, 1 << 20, TWO_31).raw(1, 2, 3).toBytes(),
        TruncatedInputException.class,
        "block 0 of 2048");
  }

  /** One block over the limit of 2^25 blocks. */
  @Test
  void oneBlockOverTheLimitIsRejectedBeforeAnyBlockIsRead() {
    assertReadRejects(
        header(SignatureFormat.VERSION, 16, 16, 16L * ((1 << 25) + 1)).toBytes(),
        CorruptDataException.class,
        "33554433 blocks",
        "at most 33554432");
  }

  @Test
  void checksumMismatchIsCorruptNamingBothValues() {
    byte[] s = SIG.clone();
    s[s.length - 1] ^= 1;
    String stored =
        HexFormat.of().formatHex(s, s.length - 4, s.length).replaceFirst("^0+(?=.)", "");
    String actual =
        HexFormat.of().formatHex(SIG, SIG.length - 4, SIG.length).replaceFirst("^0+(?=.)", "");
    assertReadRejects(
        s, CorruptDataException.class, "signature checksum " + stored, "CRC32C " + actual);
  }

  @Test
  void blockDataChangedWithAValidCrcIsAcceptedAsData() throws IOException {
    // The CRC guards against accidents, not against a peer: a forged signature can only cost
    // matches, because every COPY is confirmed by the whole-target hash when patching.
    byte[] body = Arrays.copyOf(SIG, SIG.length - 4);
    body[SignatureFormat.HEADER_LENGTH] ^= 1;
    assertThat(SignatureFormat.read(new ByteArrayInputStream(withCrc(body))).weakSum(0))
        .isEqualTo(GoldenFiles.signature().weakSum(0) ^ 0x01000000);
  }

  @ParameterizedTest(name = "{0} trailing bytes")
  @ValueSource(ints = {1, 4, 1000})
  void trailingBytesAfterTheChecksumAreCorrupt(int extra) {
    byte[] s = Arrays.copyOf(SIG, SIG.length + extra);
    s[SIG.length] = 0x33;
    assertReadRejects(
        s,
        CorruptDataException.class,
        "trailing bytes after the signature checksum at offset " + SIG.length,
        "0x33");
  }

  @ParameterizedTest(name = "magic {0}")
  @ValueSource(strings = {"7673646c", "00000000", "76737368"})
  void wrongMagicIsBadHeader(String magic) {
    byte[] s = SIG.clone();
    System.arraycopy(HexFormat.of().parseHex(magic), 0, s, 0, 4);
    assertReadRejects(s, BadHeaderException.class, "magic " + magic, "expected 76737367");
  }

  @ParameterizedTest(name = "version {0}")
  @ValueSource(ints = {0, 1, 3, 0xff})
  void unsupportedVersionIsBadHeader(int version) {
    byte[] s = SIG.clone();
    s[4] = (byte) version;
    assertReadRejects(
        s, BadHeaderException.class, "signature version " + version + " is not supported");
  }
}
