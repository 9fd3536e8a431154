package io.vaultsync.core.format;

import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes signature files (docs/FORMAT.md): header, one weak sum and truncated strong hash
 * per block, CRC32C trailer. The reader bounds the block count from the header's basis length and
 * grows its arrays only as block bytes really arrive.
 */
public final class SignatureFormat {
  /** "vssg". */
  static final byte[] MAGIC = {0x76, 0x73, 0x73, 0x67};

  /**
   * 2: strong sums are XXH3-128 (at most 16 bytes). Version 1 (truncated SHA-256) was never
   * released; readers reject it.
   */
  public static final int VERSION = 2;

  /** Bytes before the first block: magic, version, strong length, block length, basis length. */
  static final int HEADER_LENGTH = 4 + 1 + 1 + 4 + 8;

  private SignatureFormat() {}

  /** Writes {@code signature} to {@code out} (buffered by the caller if need be; not closed). */
  public static void write(Signature signature, OutputStream out) throws IOException {
    CRC32C crc = new CRC32C();
    CheckedOutputStream checked = new CheckedOutputStream(out, crc);
    int s = signature.strongLength();
    byte[] header = new byte[HEADER_LENGTH];
    System.arraycopy(MAGIC, 0, header, 0, 4);
    header[4] = (byte) VERSION;
    header[5] = (byte) s;
    putInt(header, 6, signature.blockLength());
    putLong(header, 10, signature.basisLength());
    checked.write(header);
    byte[] chunk = new byte[(4 + s) * 1024];
    int n = 0;
    for (int b = 0; b < signature.blockCount(); b++) {
      putInt(chunk, n, signature.weakSum(b));
      signature.copyStrong(b, chunk, n + 4);
      n += 4 + s;
      if (n == chunk.length) {
        checked.write(chunk, 0, n);
        n = 0;
      }
    }
    checked.write(chunk, 0, n);
    byte[] trailer = new byte[4];
    putInt(trailer, 0, (int) crc.getValue());
    out.write(trailer);
    out.flush();
  }

  /** Reads a signature; throws {@link FormatException}s naming the bad value. */
  public static Signature read(InputStream in) throws IOException {
    CRC32C crc = new CRC32C();
    FormatInput input = new FormatInput(new CheckedInputStream(in, crc));
    byte[] magic = new byte[4];
    input.readFully(magic, 0, 4, "the signature magic");
    if (!Arrays.equals(magic, MAGIC)) {
      throw new BadHeaderException(
          "not a vaultsync signature: magic "
              + HexFormat.of().formatHex(magic)
              + "; expected 76737367 (\"vssg\")");
    }
    int version = input.readByte("the signature version");
    if (version != VERSION) {
      throw new BadHeaderException(
          "signature version " + version + " is not supported; expected " + VERSION);
    }
    int strong = input.readByte("the strong hash length");
    long blockField = input.readInt("the block length") & 0xffffffffL; // u32
    long basis = input.readLong("the basis length");
    if (blockField < SignatureParams.MIN_BLOCK_LENGTH
        || blockField > SignatureParams.MAX_BLOCK_LENGTH) {
      throw new CorruptDataException(
          "signature block length "
              + blockField
              + "; expected "
              + SignatureParams.MIN_BLOCK_LENGTH
              + ".."
              + SignatureParams.MAX_BLOCK_LENGTH);
    }
    int block = (int) blockField;
    SignatureParams params;
    try {
      params = new SignatureParams(block, strong);
    } catch (IllegalArgumentException e) {
      throw new CorruptDataException("signature header: " + e.getMessage());
    }
    if (basis < 0 || basis > DeltaFormat.MAX_LENGTH) {
      throw new CorruptDataException(
          "signature basis length " + Long.toUnsignedString(basis) + "; expected 0..2^62");
    }
    long blocks = Signature.blockCountFor(basis, block);
    if (blocks > Signature.MAX_BLOCKS) {
      throw new CorruptDataException(
          "signature of a "
              + basis
              + "-byte basis in blocks of "
              + block
              + " has "
              + blocks
              + " blocks; at most "
              + Signature.MAX_BLOCKS
              + " are allowed");
    }
    Signature.Accumulator acc = new Signature.Accumulator(params, (int) blocks);
    byte[] entry = new byte[4 + strong];
    for (long b = 0; b < blocks; b++) {
      input.readFully(entry, 0, entry.length, "block " + b + " of " + blocks);
      int weak =
          (entry[0] & 0xff) << 24
              | (entry[1] & 0xff) << 16
              | (entry[2] & 0xff) << 8
              | (entry[3] & 0xff);
      acc.add(weak, entry, 4);
    }
    int expected = (int) crc.getValue();
    int actual = input.readInt("the signature checksum");
    if (actual != expected) {
      throw new CorruptDataException(
          "signature checksum "
              + Integer.toHexString(actual)
              + " does not match its content's CRC32C "
              + Integer.toHexString(expected));
    }
    input.expectEnd("signature checksum");
    return acc.build(basis);
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static void putLong(byte[] b, int off, long v) {
    for (int i = 0; i < 8; i++) {
      b[off + i] = (byte) (v >>> (56 - 8 * i));
    }
  }
}
