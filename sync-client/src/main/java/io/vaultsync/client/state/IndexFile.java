package io.vaultsync.client.state;

import io.vaultsync.core.format.BadHeaderException;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.TruncatedInputException;
import io.vaultsync.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * Reads and writes the snapshot of a {@link LocalIndex}: one compact binary file, replaced
 * atomically as a whole ({@link AtomicFiles}), so a crash leaves the old or the new snapshot, never
 * a mix. Changes made after it are appended to the {@link IndexJournal} whose header names the
 * snapshot's generation ({@link IndexStore} ties both together). All integers big-endian
 * (docs/FORMAT.md section 10):
 *
 * <pre>
 * magic "VSIX" | u8 version (2) | u64 generation | i64 lastSeq | i32 count
 * count × entry ({@link IndexRecords}), in path order
 * u32 CRC32C of everything before it
 * </pre>
 *
 * Version 1 (read, never written) lacks the generation; it reads as generation 0, which no journal
 * names. Every length is bounded before anything is allocated, and the file is a cache of what the
 * server holds: when it is lost, a sync rebuilds it from the server's manifest.
 */
public final class IndexFile {
  static final byte[] MAGIC = {'V', 'S', 'I', 'X'};
  static final int VERSION = 2;
  static final int VERSION_1 = 1;

  /** Most entries an index may list. */
  public static final int MAX_ENTRIES = 10_000_000;

  /** A snapshot as read: the index and the generation its journal must name (0: none may). */
  record Snapshot(LocalIndex index, long generation, int version) {}

  private IndexFile() {}

  /** Reads the snapshot at {@code file} alone (no journal); an absent file is an empty index. */
  public static LocalIndex read(Path file) throws IOException {
    return readSnapshot(file).index();
  }

  static Snapshot readSnapshot(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      return new Snapshot(new LocalIndex(), 0, VERSION);
    }
  }

  static Snapshot read(InputStream raw, String name) throws IOException {
    CRC32C crc = new CRC32C();
    DataInputStream in =
        new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, 64 * 1024), crc));
    try {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new BadHeaderException(
            "index "
                + name
                + " starts with "
                + IndexRecords.hex(magic)
                + "; expected magic "
                + IndexRecords.hex(MAGIC));
      }
      int version = in.readUnsignedByte();
      if (version != VERSION && version != VERSION_1) {
        throw new BadHeaderException(
            "index "
                + name
                + " has version "
                + version
                + "; expected "
                + VERSION_1
                + " or "
                + VERSION);
      }
      long generation = version == VERSION_1 ? 0 : in.readLong();
      if (version == VERSION && generation == 0) {
        throw new CorruptDataException("index " + name + " has generation 0; expected non-zero");
      }
      long lastSeq = in.readLong();
      int count = in.readInt();
      if (lastSeq < 0 || count < 0 || count > MAX_ENTRIES) {
        throw new CorruptDataException(
            "index "
                + name
                + " has seq "
                + lastSeq
                + " and "
                + count
                + " entries; expected seq >= 0 and 0.."
                + MAX_ENTRIES
                + " entries");
      }
      List<IndexEntry> entries = new ArrayList<>(Math.min(count, 65536));
      for (int i = 0; i < count; i++) {
        int at = i;
        entries.add(IndexRecords.readEntry(in, () -> "index " + name + " entry " + at));
      }
      long expected = crc.getValue();
      long stored = Integer.toUnsignedLong(in.readInt());
      if (stored != expected) {
        throw new CorruptDataException(
            "index "
                + name
                + " checksum "
                + Long.toHexString(stored)
                + " does not match its content ("
                + Long.toHexString(expected)
                + ")");
      }
      if (in.read() >= 0) {
        throw new CorruptDataException("index " + name + " has bytes after its checksum");
      }
      try {
        return new Snapshot(new LocalIndex(lastSeq, entries), generation, version);
      } catch (IllegalArgumentException e) {
        throw new CorruptDataException("index " + name + ": " + e.getMessage());
      }
    } catch (EOFException e) {
      throw new TruncatedInputException("index " + name + " ends early");
    }
  }

  /** Replaces {@code file} atomically with {@code index} as generation {@code generation}. */
  static void write(Path file, LocalIndex index, long generation) throws IOException {
    if (generation == 0) {
      throw new IllegalArgumentException("snapshot generation 0; expected non-zero");
    }
    AtomicFiles.write(
        file,
        raw -> {
          CRC32C crc = new CRC32C();
          BufferedOutputStream buffered = new BufferedOutputStream(raw, 64 * 1024);
          DataOutputStream out = new DataOutputStream(new CheckedOutputStream(buffered, crc));
          out.write(MAGIC);
          out.writeByte(VERSION);
          out.writeLong(generation);
          writeBody(out, index, crc, buffered);
          buffered.flush();
          return null;
        });
  }

  /**
   * The part both layouts share after their header: the last seq, the entry count and the entries
   * to {@code out}, then (once {@code out} is flushed) the CRC-32C {@code crc} summed over all of
   * it as a big-endian trailer to {@code trailer}, the stream under {@code out}'s checksum.
   */
  private static void writeBody(
      DataOutputStream out, LocalIndex index, CRC32C crc, OutputStream trailer) throws IOException {
    out.writeLong(index.lastSeq());
    out.writeInt(index.size());
    for (IndexEntry e : index.entries().values()) {
      IndexRecords.writeEntry(out, e);
    }
    out.flush();
    int sum = (int) crc.getValue();
    trailer.write(
        new byte[] {(byte) (sum >>> 24), (byte) (sum >>> 16), (byte) (sum >>> 8), (byte) sum});
  }

  /** Writes {@code file} in the old version-1 layout; only for migration tests and goldens. */
  static void writeVersion1(Path file, LocalIndex index) throws IOException {
    AtomicFiles.write(
        file,
        raw -> {
          CRC32C crc = new CRC32C();
          DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
          out.write(MAGIC);
          out.writeByte(VERSION_1);
          writeBody(out, index, crc, raw);
          return null;
        });
  }
}
