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
 * big-endian. Specified in docs/FORMAT.md section 9.
 *
 * <pre>
 * offset size  field
 * 0      4     magic "VSPI"
 * 4      1     version (1: whole objects only; 2: entries may be deltas; 3: as 2, of a framed pack)
 * 5      3     zero
 * 8      4     entry count n (u32, at most MAX_ENTRIES)
 * 12     8     length of the pack file in bytes
 * 20     E*n   entries
 * 20+E*n 4     CRC32C of all preceding bytes
 *
 * version 1 entry, E = 48: SHA-256 (32), offset in the pack (u64), length (u64)
 * version 2 entry, E = 96: SHA-256 (32), offset (u64), stored length (u64), kind (u8: 0 whole,
 *   1 delta), zero (7), full length (u64), base SHA-256 (32; zero for a whole object)
 * </pre>
 *
 * A delta entry's stored bytes are a delta (docs/FORMAT.md section 4, "vsdl") that turns the base
 * object's full content into this object's. Version 3 describes a framed pack ({@link PackFormat}
 * version 2): entries as in version 2, each pointing right after its object's record header. A
 * writer uses version 3 for every pack it writes now; versions 1 and 2 (unframed packs) are still
 * read, and written only when an index of an unframed pack is rebuilt. A reader checks the file
 * length against n before allocating, every entry against the pack length, and the checksum.
 */
public final class PackIndexFormat {
  static final byte[] MAGIC = "VSPI".getBytes(StandardCharsets.US_ASCII);
  static final int VERSION = 1;
  static final int VERSION_DELTAS = 2;
  static final int VERSION_FRAMED = 3;
  static final int HEADER = 20;
  static final int ENTRY = ContentHash.LENGTH + 16;
  static final int ENTRY_V2 = 2 * ContentHash.LENGTH + 32;
  static final byte KIND_WHOLE = 0;
  static final byte KIND_DELTA = 1;

  private static final ContentHash ZERO = ContentHash.of(new byte[ContentHash.LENGTH], 0);

  /** Most entries one index may hold. */
  public static final int MAX_ENTRIES = 1 << 22;

  private PackIndexFormat() {}

  /**
   * One object in a pack.
   *
   * @param length the bytes it occupies in the pack
   * @param base null for a whole object; else the object whose full content the stored delta
   *     patches into this one
   * @param fullLength the object's content length (= length for a whole object)
   */
  public record Entry(
      ContentHash hash, long offset, long length, ContentHash base, long fullLength) {
    public Entry {
      if (hash == null || offset < 0 || length < 0 || fullLength < 0) {
        throw new IllegalArgumentException(
            "pack entry " + hash + " at " + offset + " of " + length + " bytes");
      }
      if (base == null ? fullLength != length : base.equals(hash)) {
        throw new IllegalArgumentException(
            "pack entry "
                + hash
                + " with base "
                + base
                + ", full length "
                + fullLength
                + " and stored length "
                + length
                + "; expected a whole object's lengths equal, a delta's base another object");
      }
    }

    /** A whole object. */
    public Entry(ContentHash hash, long offset, long length) {
      this(hash, offset, length, null, length);
    }

    /** Whether the stored bytes are a delta against {@link #base}. */
    public boolean isDelta() {
      return base != null;
    }
  }

  /**
   * The index of a pack of {@code packLength} bytes holding {@code entries}: version 3 if the pack
   * is {@code framed}, else version 1 (no deltas) or 2 (an unframed pack's rebuilt index).
   */
  public static void write(List<Entry> entries, long packLength, boolean framed, OutputStream out)
      throws IOException {
    if (entries.size() > MAX_ENTRIES) {
      throw new IllegalArgumentException(
          "pack index of " + entries.size() + " entries; at most " + MAX_ENTRIES);
    }
    boolean deltas = framed || entries.stream().anyMatch(Entry::isDelta);
    int entrySize = deltas ? ENTRY_V2 : ENTRY;
    ByteBuffer buf = ByteBuffer.allocate(HEADER + entrySize * entries.size() + 4);
    buf.put(MAGIC)
        .put((byte) (framed ? VERSION_FRAMED : deltas ? VERSION_DELTAS : VERSION))
        .put(new byte[3])
        .putInt(entries.size())
        .putLong(packLength);
    for (Entry e : entries) {
      buf.put(e.hash().toBytes()).putLong(e.offset()).putLong(e.length());
      if (deltas) {
        buf.put(e.isDelta() ? KIND_DELTA : KIND_WHOLE).put(new byte[7]).putLong(e.fullLength());
        buf.put(e.isDelta() ? e.base().toBytes() : new byte[ContentHash.LENGTH]);
      }
    }
    CRC32C crc = new CRC32C();
    crc.update(buf.array(), 0, buf.position());
    buf.putInt((int) crc.getValue());
    out.write(buf.array(), 0, buf.position());
  }

  /**
   * Parsed index of a pack: its entries, the pack length it describes, and whether the pack is
   * framed (index version 3).
   */
  public record Parsed(List<Entry> entries, long packLength, boolean framed) {}

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
    if (!java.util.Arrays.equals(magic, MAGIC) || version < VERSION || version > VERSION_FRAMED) {
      throw new BadHeaderException(
          "pack index magic/version "
              + new String(magic, StandardCharsets.ISO_8859_1)
              + "/"
              + version
              + "; expected VSPI/"
              + VERSION
              + " to "
              + VERSION_FRAMED);
    }
    buf.position(8);
    long count = Integer.toUnsignedLong(buf.getInt());
    long packLength = buf.getLong();
    int entrySize = version == VERSION ? ENTRY : ENTRY_V2;
    if (count > MAX_ENTRIES || data.length != HEADER + entrySize * count + 4) {
      throw new CorruptDataException(
          "pack index declares "
              + count
              + " entries in a file of "
              + data.length
              + " bytes; expected "
              + (HEADER + 4)
              + " + "
              + entrySize
              + " per entry, at most "
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
      ContentHash base = null;
      long fullLength = length;
      if (version != VERSION) {
        int kind = buf.get() & 0xff;
        for (int z = 0; z < 7; z++) {
          if (buf.get() != 0) {
            throw new CorruptDataException("pack index entry " + i + " has non-zero padding");
          }
        }
        fullLength = buf.getLong();
        ContentHash b = ContentHash.of(data, buf.position());
        buf.position(buf.position() + ContentHash.LENGTH);
        if (kind == KIND_DELTA) {
          base = b;
          if (base.equals(hash) || fullLength < 0) {
            throw new CorruptDataException(
                "pack index entry "
                    + i
                    + " is a delta of "
                    + fullLength
                    + " bytes against "
                    + base.hex()
                    + "; expected another object as base and a length >= 0");
          }
        } else if (kind != KIND_WHOLE || fullLength != length || !b.equals(ZERO)) {
          throw new CorruptDataException(
              "pack index entry "
                  + i
                  + " of kind "
                  + kind
                  + ", full length "
                  + fullLength
                  + ", stored length "
                  + length
                  + "; expected kind 0 (whole, equal lengths, zero base) or 1 (delta)");
        }
      }
      long first =
          version == VERSION_FRAMED ? PackFormat.HEADER + PackFormat.recordLength(base != null) : 0;
      if (offset < first || length < 0 || offset > packLength - length) {
        throw new CorruptDataException(
            "pack index entry "
                + i
                + " at offset "
                + offset
                + " of "
                + length
                + " bytes; expected it inside the pack of "
                + packLength
                + " bytes"
                + (first > 0 ? ", after its record header" : ""));
      }
      entries.add(new Entry(hash, offset, length, base, fullLength));
    }
    return new Parsed(entries, packLength, version == VERSION_FRAMED);
  }
}
