package io.vaultsync.client.state;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.IllegalNotePathException;
import io.vaultsync.model.tree.NotePath;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * The byte layout of one index entry and of one note path, shared by the snapshot ({@link
 * IndexFile}) and the journal ({@link IndexJournal}); docs/FORMAT.md section 10. Big-endian:
 *
 * <pre>
 * path:  u16 pathLen (1..4096) | path UTF-8
 * entry: path | i64 size | i64 mtimeMillis | 32 B SHA-256 | i32 sigLen (-1: none) | sig bytes
 * </pre>
 */
final class IndexRecords {
  private IndexRecords() {}

  /** As {@link #readPath(DataInput, Supplier)} with a fixed place name. */
  static NotePath readPath(DataInput in, String where) throws IOException {
    return readPath(in, () -> where);
  }

  /**
   * Reads one path; {@code where} names the place for an error message and is called only then (a
   * snapshot of 50,000 entries builds no 50,000 strings).
   */
  static NotePath readPath(DataInput in, Supplier<String> where) throws IOException {
    int pathLen = in.readUnsignedShort();
    if (pathLen < 1 || pathLen > NotePath.MAX_BYTES) {
      throw new CorruptDataException(
          where.get() + " path length " + pathLen + "; expected 1.." + NotePath.MAX_BYTES);
    }
    byte[] pathBytes = new byte[pathLen];
    in.readFully(pathBytes);
    try {
      return NotePath.of(new String(pathBytes, StandardCharsets.UTF_8));
    } catch (IllegalNotePathException e) {
      throw new CorruptDataException(where.get() + ": " + e.getMessage());
    }
  }

  /** As {@link #readEntry(DataInput, Supplier)} with a fixed place name. */
  static IndexEntry readEntry(DataInput in, String where) throws IOException {
    return readEntry(in, () -> where);
  }

  /** Reads one entry; {@code where} names the place for an error message, called only then. */
  static IndexEntry readEntry(DataInput in, Supplier<String> where) throws IOException {
    NotePath path = readPath(in, where);
    long size = in.readLong();
    long mtime = in.readLong();
    byte[] hash = new byte[ContentHash.LENGTH];
    in.readFully(hash);
    int sigLen = in.readInt();
    if (sigLen < -1 || sigLen > KeptSignature.MAX_BYTES) {
      throw new CorruptDataException(
          where.get()
              + " entry "
              + path
              + " signature length "
              + sigLen
              + "; expected -1.."
              + KeptSignature.MAX_BYTES);
    }
    KeptSignature sig = null;
    if (sigLen >= 0) {
      byte[] s = new byte[sigLen];
      in.readFully(s);
      sig = KeptSignature.wrap(s);
    }
    if (size < 0) {
      throw new CorruptDataException(where.get() + " entry " + path + " size " + size);
    }
    return new IndexEntry(path, size, mtime, ContentHash.of(hash), sig);
  }

  static void writePath(DataOutput out, NotePath path) throws IOException {
    byte[] bytes = path.value().getBytes(StandardCharsets.UTF_8);
    out.writeShort(bytes.length);
    out.write(bytes);
  }

  static void writeEntry(DataOutput out, IndexEntry e) throws IOException {
    writePath(out, e.path());
    out.writeLong(e.size());
    out.writeLong(e.mtimeMillis());
    out.write(e.hash().toBytes());
    if (e.signature() == null) {
      out.writeInt(-1);
    } else {
      out.writeInt(e.signature().length());
      e.signature().writeTo(out);
    }
  }

  static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format("%02x", x));
    }
    return sb.toString();
  }
}
