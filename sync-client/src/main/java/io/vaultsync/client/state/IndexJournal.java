package io.vaultsync.client.state;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.NotePath;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.zip.CRC32C;

/**
 * The append-only journal of index changes made after a snapshot ({@link IndexFile}); one record
 * per save, fsynced, so a sync that changes k files writes O(k) bytes. Big-endian (docs/FORMAT.md
 * section 10):
 *
 * <pre>
 * header: magic "VSIJ" | u8 version (1) | u64 generation | u32 CRC32C of the 13 bytes before
 * record: u32 bodyLen | body | u32 CRC32C of bodyLen's 4 bytes and the body
 * body:   i64 lastSeq | i32 puts | puts × entry | i32 removes | removes × path
 * </pre>
 *
 * <p>A record is applied whole or not at all. Reading stops at the first record that is short,
 * longer than {@value #MAX_RECORD} bytes, fails its checksum or does not parse: that record and
 * everything after it are dropped (a crash tore the tail), leaving the index as it was after the
 * last whole record, a state it really had. The next append first cuts the file back to the valid
 * length.
 */
final class IndexJournal {
  static final byte[] MAGIC = {'V', 'S', 'I', 'J'};
  static final int VERSION = 1;
  static final int HEADER_BYTES = 17;

  /** Largest record body; a larger change is saved as a new snapshot instead. */
  static final int MAX_RECORD = 16 << 20;

  /** What reading a journal found. */
  record Replay(long validBytes, int records, boolean dropped, boolean usable) {}

  private IndexJournal() {}

  /** The header of a journal after the snapshot of {@code generation}. */
  static byte[] header(long generation) {
    ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES);
    b.put(MAGIC).put((byte) VERSION).putLong(generation);
    CRC32C crc = new CRC32C();
    crc.update(b.array(), 0, 13);
    b.putInt((int) crc.getValue());
    return b.array();
  }

  /** Replaces {@code file} atomically with an empty journal after {@code generation}. */
  static void create(Path file, long generation) throws IOException {
    AtomicFiles.write(
        file,
        out -> {
          out.write(header(generation));
          return null;
        });
  }

  /**
   * Applies the whole records of {@code file} to {@code index}, if its header names {@code
   * generation}. An absent journal, or one after another snapshot, is not usable and changes
   * nothing.
   */
  static Replay replay(Path file, long generation, LocalIndex index) throws IOException {
    try (InputStream raw = Files.newInputStream(file)) {
      return replay(raw, generation, index);
    } catch (NoSuchFileException e) {
      return new Replay(0, 0, false, false);
    }
  }

  static Replay replay(InputStream raw, long generation, LocalIndex index) throws IOException {
    DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(raw, 64 * 1024));
    byte[] head = in.readNBytes(HEADER_BYTES);
    if (generation == 0 || !Arrays.equals(head, header(generation))) {
      return new Replay(0, 0, head.length > 0, false);
    }
    long valid = HEADER_BYTES;
    int records = 0;
    while (true) {
      byte[] lenBytes = in.readNBytes(4);
      if (lenBytes.length == 0) {
        return new Replay(valid, records, false, true);
      }
      try {
        if (lenBytes.length < 4) {
          throw new EOFException();
        }
        int bodyLen = ByteBuffer.wrap(lenBytes).getInt();
        if (bodyLen < 16 || bodyLen > MAX_RECORD) {
          throw new CorruptDataException("journal record of " + bodyLen + " bytes");
        }
        byte[] body = in.readNBytes(bodyLen);
        byte[] sum = in.readNBytes(4);
        if (body.length != bodyLen || sum.length != 4) {
          throw new EOFException();
        }
        CRC32C crc = new CRC32C();
        crc.update(lenBytes);
        crc.update(body);
        if ((int) crc.getValue() != ByteBuffer.wrap(sum).getInt()) {
          throw new CorruptDataException("journal record checksum");
        }
        apply(body, index, "journal record " + records);
        valid += 8L + bodyLen;
        records++;
      } catch (IOException | IllegalArgumentException e) {
        return new Replay(valid, records, true, true);
      }
    }
  }

  /** Parses a whole body, then applies it; a body that does not parse changes nothing. */
  private static void apply(byte[] body, LocalIndex index, String where) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(body));
    long lastSeq = in.readLong();
    if (lastSeq < 0) {
      throw new CorruptDataException(where + " has seq " + lastSeq + "; expected >= 0");
    }
    int puts = in.readInt();
    if (puts < 0 || puts > body.length / 48) {
      throw new CorruptDataException(where + " lists " + puts + " entries");
    }
    List<IndexEntry> put = new ArrayList<>(puts);
    for (int i = 0; i < puts; i++) {
      put.add(IndexRecords.readEntry(in, where));
    }
    int removes = in.readInt();
    if (removes < 0 || removes > body.length / 3) {
      throw new CorruptDataException(where + " removes " + removes + " paths");
    }
    List<NotePath> removed = new ArrayList<>(removes);
    for (int i = 0; i < removes; i++) {
      removed.add(IndexRecords.readPath(in, where));
    }
    if (in.read() >= 0) {
      throw new CorruptDataException(where + " has bytes after its last path");
    }
    for (IndexEntry e : put) {
      index.load(e);
    }
    for (NotePath p : removed) {
      index.unload(p);
    }
    index.setLastSeq(lastSeq);
  }

  /** The record that brings a journal's replay from the last save to {@code index} as it is. */
  static byte[] record(LocalIndex index) {
    Set<NotePath> paths = index.unsavedPaths();
    List<IndexEntry> puts = new ArrayList<>();
    List<NotePath> removes = new ArrayList<>();
    for (NotePath p : paths) {
      IndexEntry e = index.get(p);
      if (e != null) {
        puts.add(e);
      } else {
        removes.add(p);
      }
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(256);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(0); // bodyLen, filled in below
      out.writeLong(index.lastSeq());
      out.writeInt(puts.size());
      for (IndexEntry e : puts) {
        IndexRecords.writeEntry(out, e);
      }
      out.writeInt(removes.size());
      for (NotePath p : removes) {
        IndexRecords.writePath(out, p);
      }
      out.writeInt(0); // checksum, filled in below
      byte[] r = bytes.toByteArray();
      ByteBuffer b = ByteBuffer.wrap(r);
      b.putInt(0, r.length - 8);
      CRC32C crc = new CRC32C();
      crc.update(r, 0, r.length - 4);
      b.putInt(r.length - 4, (int) crc.getValue());
      return r;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /**
   * Appends {@code record} at {@code validBytes} (cutting off a torn tail beyond it) and fsyncs;
   * returns the new valid length.
   *
   * @throws IOException if the journal is shorter than {@code validBytes} (someone else rewrote it:
   *     the caller writes a new snapshot instead) or the write fails
   */
  static long append(Path file, long validBytes, byte[] record) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      long size = ch.size();
      if (size < validBytes) {
        throw new IOException(
            "index journal " + file + " has " + size + " bytes; expected at least " + validBytes);
      }
      if (size > validBytes) {
        ch.truncate(validBytes);
      }
      ByteBuffer b = ByteBuffer.wrap(record);
      long pos = validBytes;
      while (b.hasRemaining()) {
        pos += ch.write(b, pos);
      }
      ch.force(false);
      return pos;
    }
  }
}
