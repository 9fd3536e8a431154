package io.vaultsync.server.store;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * The byte layout of a pack file ({@code <id>.pack}), the only code that knows it. Specified in
 * docs/FORMAT.md section 9. All integers are big-endian.
 *
 * <p>Version 1 (no header; every pack written before version 2) is a plain concatenation of stored
 * bytes: only its index knows where objects are. Version 2 starts with a header and frames every
 * object with a record header that repeats what the index says of it, so an index that is lost or
 * corrupt can be rebuilt from an intact pack ({@link PackScanner}):
 *
 * <pre>
 * pack header (8 bytes): magic "VSPK", version (u8, 2), zero (3)
 * record header (60 bytes, or 92 for a delta), then the stored bytes:
 *   0   4   magic "VSOB"
 *   4   1   kind (0 whole, 1 delta)
 *   5   3   zero
 *   8   8   stored length
 *   16  8   full length (= stored length for a whole object)
 *   24  32  SHA-256 of the full content
 *   56  32  base SHA-256 (kind 1 only)
 *   56|88 4 CRC32C of the header bytes before it
 * </pre>
 *
 * The index entry of a framed object points at its stored bytes, right after its record header.
 */
public final class PackFormat {
  static final byte[] MAGIC = "VSPK".getBytes(StandardCharsets.US_ASCII);
  static final byte[] RECORD_MAGIC = "VSOB".getBytes(StandardCharsets.US_ASCII);

  /** The pack version this code writes. Version 1 is the unframed layout, read but not written. */
  static final int VERSION = 2;

  /** Bytes of the pack header. */
  public static final int HEADER = 8;

  /** Bytes of a whole object's record header. */
  public static final int RECORD_WHOLE = 60;

  /** Bytes of a delta object's record header. */
  static final int RECORD_DELTA = RECORD_WHOLE + ContentHash.LENGTH;

  /** Largest stored or full length a record may declare. */
  static final long MAX_LENGTH = 1L << 62;

  private PackFormat() {}

  /**
   * The 8-byte header every version-2 pack starts with (public for the packs server-s3 writes to an
   * object store, which use this layout).
   */
  public static byte[] header() {
    byte[] h = new byte[HEADER];
    System.arraycopy(MAGIC, 0, h, 0, 4);
    h[4] = VERSION;
    return h;
  }

  /** Whether {@code first} (at least {@link #HEADER} bytes read from offset 0) is a v2 header. */
  static boolean isFramed(byte[] first, int length) {
    return length >= HEADER
        && Arrays.equals(first, 0, 4, MAGIC, 0, 4)
        && first[4] == VERSION
        && first[5] == 0
        && first[6] == 0
        && first[7] == 0;
  }

  /** The record header's length for an object that is a delta or not. */
  static int recordLength(boolean delta) {
    return delta ? RECORD_DELTA : RECORD_WHOLE;
  }

  /** The record header of {@code e} (its offset is not part of it). */
  public static byte[] record(PackIndexFormat.Entry e) {
    ByteBuffer b = ByteBuffer.allocate(recordLength(e.isDelta()));
    b.put(RECORD_MAGIC)
        .put(e.isDelta() ? PackIndexFormat.KIND_DELTA : PackIndexFormat.KIND_WHOLE)
        .put(new byte[3])
        .putLong(e.length())
        .putLong(e.fullLength())
        .put(e.hash().toBytes());
    if (e.isDelta()) {
      b.put(e.base().toBytes());
    }
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, b.position());
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /**
   * Parses the record header in {@code data[0..length)} found at pack offset {@code at}: the entry
   * it describes, with the offset of its stored bytes, which must end by {@code packLength}.
   *
   * @throws CorruptDataException naming what is wrong (a wrong magic, kind, length or checksum)
   */
  static PackIndexFormat.Entry readRecord(byte[] data, int length, long at, long packLength)
      throws CorruptDataException {
    if (length < RECORD_WHOLE || !Arrays.equals(data, 0, 4, RECORD_MAGIC, 0, 4)) {
      throw new CorruptDataException("no record header at pack offset " + at);
    }
    int kind = data[4] & 0xff;
    if (kind != PackIndexFormat.KIND_WHOLE && kind != PackIndexFormat.KIND_DELTA) {
      throw new CorruptDataException("record at pack offset " + at + " has kind " + kind);
    }
    boolean delta = kind == PackIndexFormat.KIND_DELTA;
    int size = recordLength(delta);
    if (length < size) {
      throw new CorruptDataException("record header at pack offset " + at + " is cut short");
    }
    ByteBuffer b = ByteBuffer.wrap(data, 0, size);
    CRC32C crc = new CRC32C();
    crc.update(data, 0, size - 4);
    if (b.getInt(size - 4) != (int) crc.getValue()) {
      throw new CorruptDataException("record header at pack offset " + at + " fails its checksum");
    }
    if (data[5] != 0 || data[6] != 0 || data[7] != 0) {
      throw new CorruptDataException("record header at pack offset " + at + " has non-zero bytes");
    }
    long stored = b.getLong(8);
    long full = b.getLong(16);
    ContentHash hash = ContentHash.of(data, 24);
    ContentHash base = delta ? ContentHash.of(data, 56) : null;
    long payload = at + size;
    if (stored < 0
        || full < 0
        || stored > MAX_LENGTH
        || full > MAX_LENGTH
        || stored > packLength - payload
        || (!delta && stored != full)
        || (delta && base.equals(hash))) {
      throw new CorruptDataException(
          "record at pack offset "
              + at
              + " declares "
              + stored
              + " stored and "
              + full
              + " full bytes"
              + (delta ? " as a delta" : "")
              + "; the pack has "
              + Math.max(0, packLength - payload)
              + " bytes after its header");
    }
    return new PackIndexFormat.Entry(hash, payload, stored, base, full);
  }
}
