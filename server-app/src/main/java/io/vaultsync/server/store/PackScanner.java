package io.vaultsync.server.store;

import io.vaultsync.core.format.BadHeaderException;
import io.vaultsync.core.format.CorruptDataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Walks the record headers of a framed pack ({@link PackFormat} version 2) to find its objects
 * without an index: what rebuilds a lost or corrupt index. It reads one header per object (a
 * positional read of at most {@value PackFormat#RECORD_DELTA} bytes) and skips the stored bytes, so
 * it costs a seek per object, not a read of the pack; it hashes nothing (callers verify).
 *
 * <p>A header that fails its checksum or declares impossible lengths starts a damaged region: the
 * walk looks for the next position holding a valid record header (magic, checksum, lengths inside
 * the pack) and goes on from there, so one damaged header loses one object, not the rest of the
 * pack.
 */
final class PackScanner {
  /** Bytes read at a time while looking for the next valid header after damage. */
  private static final int SEARCH_CHUNK = 64 * 1024;

  private PackScanner() {}

  /** A stretch of a pack where no valid record was found. */
  record Damaged(long offset, long length, String why) {}

  /** What a walk found: the objects (in pack order) and the damaged stretches. */
  record Scan(List<PackIndexFormat.Entry> entries, List<Damaged> damaged, long packLength) {}

  /** Whether the pack in {@code ch} starts with a version-2 header. */
  static boolean isFramed(FileChannel ch) throws IOException {
    byte[] first = new byte[PackFormat.HEADER];
    int n = readAt(ch, 0, first, first.length);
    return PackFormat.isFramed(first, n);
  }

  /**
   * Walks the pack in {@code ch}.
   *
   * @throws BadHeaderException if the pack does not start with a version-2 header (an unframed pack
   *     cannot be walked)
   */
  static Scan scan(FileChannel ch) throws IOException {
    long size = ch.size();
    if (!isFramed(ch)) {
      throw new BadHeaderException("the pack has no version-2 header (an unframed pack)");
    }
    List<PackIndexFormat.Entry> entries = new ArrayList<>();
    List<Damaged> damaged = new ArrayList<>();
    byte[] header = new byte[PackFormat.RECORD_DELTA];
    long at = PackFormat.HEADER;
    while (at < size) {
      int n = readAt(ch, at, header, header.length);
      try {
        PackIndexFormat.Entry e = PackFormat.readRecord(header, n, at, size);
        entries.add(e);
        at = e.offset() + e.length();
      } catch (CorruptDataException e) {
        long next = nextRecord(ch, at + 1, size);
        damaged.add(new Damaged(at, next - at, e.getMessage()));
        at = next;
      }
    }
    return new Scan(entries, damaged, size);
  }

  /** The first offset at or after {@code from} holding a valid record header, or {@code size}. */
  private static long nextRecord(FileChannel ch, long from, long size) throws IOException {
    byte[] chunk = new byte[SEARCH_CHUNK + PackFormat.RECORD_DELTA];
    byte[] header = new byte[PackFormat.RECORD_DELTA];
    for (long start = from; start < size; start += SEARCH_CHUNK) {
      int n = readAt(ch, start, chunk, chunk.length);
      for (int i = 0; i < Math.min(n, SEARCH_CHUNK); i++) {
        if (chunk[i] != PackFormat.RECORD_MAGIC[0]) {
          continue; // readRecord checks the rest (magic, checksum, lengths)
        }
        int got = readAt(ch, start + i, header, header.length);
        try {
          PackFormat.readRecord(header, got, start + i, size);
          return start + i;
        } catch (CorruptDataException e) {
          // not a record here; keep looking
        }
      }
    }
    return size;
  }

  /** Reads up to {@code len} bytes at {@code position}; returns how many (fewer only at EOF). */
  static int readAt(FileChannel ch, long position, byte[] dst, int len) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(dst, 0, len);
    long p = position;
    while (buf.hasRemaining()) {
      int n = ch.read(buf, p);
      if (n < 0) {
        break;
      }
      p += n;
    }
    return buf.position();
  }
}
