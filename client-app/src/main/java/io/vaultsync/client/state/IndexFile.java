package io.vaultsync.client.state;

import io.vaultsync.core.format.BadHeaderException;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.TruncatedInputException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.tree.IllegalNotePathException;
import io.vaultsync.core.tree.NotePath;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
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
 * Reads and writes a {@link LocalIndex} as one compact binary file, replaced atomically as a whole
 * ({@link AtomicFiles}), so a crash leaves the old or the new index, never a mix. All integers
 * big-endian:
 *
 * <pre>
 * magic "VSIX" | u8 version (1) | i64 lastSeq | i32 count
 * count × ( u16 pathLen | path UTF-8 | i64 size | i64 mtimeMillis | 32 B SHA-256
 *           | i32 sigLen (-1: none) | sig bytes )
 * u32 CRC32C of everything before it
 * </pre>
 *
 * Every length is bounded before anything is allocated, and the file is a cache of what the server
 * holds: when it is lost, a sync rebuilds it from the server's manifest.
 */
public final class IndexFile {
  static final byte[] MAGIC = {'V', 'S', 'I', 'X'};
  static final int VERSION = 1;

  /** Most entries an index may list. */
  public static final int MAX_ENTRIES = 10_000_000;

  private IndexFile() {}

  /** Reads the index at {@code file}; an absent file is an empty index. */
  public static LocalIndex read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      return read(in, file.toString());
    } catch (NoSuchFileException e) {
      return new LocalIndex();
    }
  }

  static LocalIndex read(InputStream raw, String name) throws IOException {
    CRC32C crc = new CRC32C();
    DataInputStream in =
        new DataInputStream(new CheckedInputStream(new BufferedInputStream(raw, 64 * 1024), crc));
    try {
      byte[] magic = new byte[MAGIC.length];
      in.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new BadHeaderException(
            "index " + name + " starts with " + hex(magic) + "; expected magic " + hex(MAGIC));
      }
      int version = in.readUnsignedByte();
      if (version != VERSION) {
        throw new BadHeaderException(
            "index " + name + " has version " + version + "; expected " + VERSION);
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
        entries.add(readEntry(in, name, i));
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
      return new LocalIndex(lastSeq, entries);
    } catch (EOFException e) {
      throw new TruncatedInputException("index " + name + " ends early");
    }
  }

  private static IndexEntry readEntry(DataInputStream in, String name, int i) throws IOException {
    int pathLen = in.readUnsignedShort();
    if (pathLen < 1 || pathLen > NotePath.MAX_BYTES) {
      throw new CorruptDataException(
          "index " + name + " entry " + i + " path length " + pathLen + "; expected 1..4096");
    }
    byte[] pathBytes = new byte[pathLen];
    in.readFully(pathBytes);
    NotePath path;
    try {
      path = NotePath.of(new String(pathBytes, StandardCharsets.UTF_8));
    } catch (IllegalNotePathException e) {
      throw new CorruptDataException("index " + name + " entry " + i + ": " + e.getMessage());
    }
    long size = in.readLong();
    long mtime = in.readLong();
    byte[] hash = new byte[ContentHash.LENGTH];
    in.readFully(hash);
    int sigLen = in.readInt();
    if (sigLen < -1 || sigLen > KeptSignature.MAX_BYTES) {
      throw new CorruptDataException(
          "index "
              + name
              + " entry "
              + path
              + " signature length "
              + sigLen
              + "; expected -1.."
              + KeptSignature.MAX_BYTES);
    }
    KeptSignature sig = null;
    if (sigLen >= 0) {
      byte[] s = in.readNBytes(sigLen);
      if (s.length != sigLen) {
        throw new EOFException();
      }
      sig = KeptSignature.fromBytes(s);
    }
    if (size < 0) {
      throw new CorruptDataException("index " + name + " entry " + path + " size " + size);
    }
    return new IndexEntry(path, size, mtime, ContentHash.of(hash), sig);
  }

  /** Replaces {@code file} atomically with {@code index}. */
  public static void write(Path file, LocalIndex index) throws IOException {
    AtomicFiles.write(
        file,
        raw -> {
          CRC32C crc = new CRC32C();
          DataOutputStream out = new DataOutputStream(new CheckedOutputStream(raw, crc));
          out.write(MAGIC);
          out.writeByte(VERSION);
          out.writeLong(index.lastSeq());
          out.writeInt(index.size());
          for (IndexEntry e : index.entries().values()) {
            byte[] path = e.path().value().getBytes(StandardCharsets.UTF_8);
            out.writeShort(path.length);
            out.write(path);
            out.writeLong(e.size());
            out.writeLong(e.mtimeMillis());
            out.write(e.hash().toBytes());
            if (e.signature() == null) {
              out.writeInt(-1);
            } else {
              out.writeInt(e.signature().length());
              out.write(e.signature().toBytes());
            }
          }
          out.flush();
          raw.write(intBytes((int) crc.getValue()));
          return null;
        });
  }

  private static byte[] intBytes(int v) {
    return new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v};
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
