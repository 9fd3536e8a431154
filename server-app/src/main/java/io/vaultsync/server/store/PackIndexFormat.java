package io.vaultsync.server.store;

import io.vaultsync.core.format.BadHeaderException;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.TruncatedInputException;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The byte layout of a pack index ({@code <id>.idx}), the only code that knows it. All integers are
 * big-endian.
 *
 * <pre>
 * offset size  field
 * 0      4     magic "VSPI"
 * 4      1     version (1)
 * 5      3     zero
 * 8      4     entry count n (u32, at most MAX_ENTRIES)
 * 12     8     length of the pack file in bytes
 * 20     48*n  entries: SHA-256 (32), offset in the pack (u64), length (u64)
 * 20+48n 4     CRC32C of all preceding bytes
 * </pre>
 *
 * A reader checks the file length against n before allocating, every entry against the pack length,
 * and the checksum.
 */
public final class PackIndexFormat {
  static final byte[] MAGIC = "VSPI".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int HEADER = 20;
  static final int ENTRY = ContentHash.LENGTH + 16;

  /** Most entries one index may hold. */
  public static final int MAX_ENTRIES = 1 << 22;

  private PackIndexFormat() {}

  /** One object in a pack. */
  public record Entry(ContentHash hash, long offset, long length) {
    public Entry {
      if (hash == null || offset < 0 || length < 0) {
        throw new IllegalArgumentException(
            "pack entry " + hash + " at " + offset + " of " + length + " bytes");
      }
    }
  }

  /** The index content of a pack of {@code packLength} bytes holding {@code entries}. */
  public static void write(List<Entry> entries, long packLength, OutputStream out)
      throws IOException {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "pack index of " + entries.size() + " entries; at most " + MAX_ENTRIES);
    }
    ByteBuffer buf = ByteBuffer.allocate(HEADER + ENTRY * entries.size() + 4);
    buf.put(MAGIC).put((byte) VERSION).put(new byte[3]).putInt(entries.size()).putLong(packLength);
    for (Entry e : entries) {
      buf.put(e.hash().toBytes()).putLong(e.offset()).putLong(e.length());
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    out.write(buf.array(), 0, buf.position());
  }

  /** Parsed index of a pack: its entries and the pack length it describes. */
  public record Parsed(List<Entry> entries, long packLength) {}

  /**
   * Parses an index file's bytes.
   *
   * @throws io.vaultsync.core.format.FormatException naming the bad value
   */
  public static Parsed read(byte[] data) throws IOException {
    if (data.length < HEADER + 4) {
      throw new TruncatedInputException(
          "pack index of " + data.length + " bytes; expected at least " + (HEADER + 4));
    }
    ByteBuffer buf = ByteBuffer.wrap(data);
    byte[] magic = new byte[4];
    buf.get(magic);
    int version = buf.get() & 0xff;
    if (!java.util.Arrays.equals(magic, MAGIC) || version != VERSION) {
      throw new BadHeaderException(
          "pack index magic/version "
              + new String(magic, StandardCharsets.ISO_8859_1)
              + "/"
              + version
              + "; expected VSPI/"
              + VERSION);
    }
    buf.position(8);
    long count = Integer.toUnsignedLong(buf.getInt());
    long packLength = buf.getLong();
    if (count > MAX_ENTRIES || data.length != HEADER + ENTRY * count + 4) {
      throw new CorruptDataException(
          "pack index declares "
              + count
              + " entries in a file of "
              + data.length
              + " bytes; expected "
              + (HEADER + 4)
              + " + 48 per entry, at most "
              + MAX_ENTRIES
              + " entries");
    }
    if (packLength < 0) {
      throw new CorruptDataException("pack index declares pack length " + packLength);
    }
    CRC32C crc = new CRC32C();
    crc.update(data, 0, data.length - 4);
    int stored = ByteBuffer.wrap(data, data.length - 4, 4).getInt();
    if (stored != (int) crc.getValue()) {
      throw new CorruptDataException(
          "pack index checksum "
              + Integer.toHexString(stored)
              + "; computed "
              + Long.toHexString(crc.getValue()));
    }
    List<Entry> entries = new ArrayList<>((int) count);
    for (int i = 0; i < count; i++) {
      ContentHash hash = ContentHash.of(data, buf.position());
      buf.position(buf.position() + ContentHash.LENGTH);
      long offset = buf.getLong();
      long length = buf.getLong();
      if (offset < 0 || length < 0 || offset > packLength - length) {
        throw new CorruptDataException(
            "pack index entry "
                + i
                + " at offset "
                + offset
                + " of "
                + length
                + " bytes; expected it inside the pack of "
                + packLength
                + " bytes");
      }
      entries.add(new Entry(hash, offset, length));
    }
    return new Parsed(entries, packLength);
  }
}
