package io.vaultsync.server.store;

import io.vaultsync.core.format.CorruptDataException;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The names in a store's {@code packs/} folder and the small file operations every writer of it
 * shares: {@code <id>.pack} ({@link PackFormat}), {@code <id>.idx} ({@link PackIndexFormat}), the
 * {@code <id>.replaced} marker of a pack a committed repack replaced, new ids, positional writes
 * and renames.
 */
final class PackFiles {
  static final String PACK = ".pack";
  static final String INDEX = ".idx";

  /** What a replaced pack's index is renamed to once the repack replacing it has committed. */
  static final String REPLACED = ".replaced";

  private PackFiles() {}

  /** The time part of the last id this process made; the next one is always larger. */
  private static final AtomicLong LAST_MILLIS = new AtomicLong();

  /**
   * A new pack id: creation time first, so ids sort in the order packs were made. Two packs made
   * within one millisecond (or across a clock step back) still sort in order: the time part is
   * strictly increasing within a process, and the random part keeps ids of processes apart.
   */
  static String newId() {
    long now = System.currentTimeMillis();
    long millis = LAST_MILLIS.updateAndGet(last -> Math.max(now, last + 1));
    return String.format("p%013x-%016x", millis, ThreadLocalRandom.current().nextLong());
  }

  /** {@code name} without {@code extension}, which it ends with. */
  static String strip(String name, String extension) {
    return name.substring(0, name.length() - extension.length());
  }

  /** Reads and parses an index file, its size bounded first. */
  static PackIndexFormat.Parsed readIndex(Path idx) throws IOException {
    long idxSize = Files.size(idx);
    if (idxSize
        > PackIndexFormat.HEADER
            + 4
            + (long) PackIndexFormat.ENTRY_V2 * PackIndexFormat.MAX_ENTRIES) {
      throw new CorruptDataException("pack index of " + idxSize + " bytes is too large");
    }
    return PackIndexFormat.read(Files.readAllBytes(idx));
  }

  /**
   * Writes the index of a pack of {@code packLength} bytes holding {@code entries} into the new
   * file {@code file} and fsyncs it (the caller renames it into place).
   */
  static void writeIndex(
      Path file, List<PackIndexFormat.Entry> entries, long packLength, boolean framed)
      throws IOException {
    try (FileChannel idx =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = new BufferedOutputStream(Channels.newOutputStream(idx), 64 * 1024);
      PackIndexFormat.write(entries, packLength, framed, out);
      out.flush();
      idx.force(true);
    }
  }

  /** Writes {@code data} at {@code at} of {@code ch}. */
  static void writeAt(FileChannel ch, long at, byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    long p = at;
    while (buf.hasRemaining()) {
      p += ch.write(buf, p);
    }
  }

  /** Renames {@code from} to {@code to}, atomically where the file system can. */
  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
