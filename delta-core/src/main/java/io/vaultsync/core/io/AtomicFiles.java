package io.vaultsync.core.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a file so that no partial content is ever visible under its name: write to a temporary
 * name in the same folder, fsync, rename over the target, fsync the folder. On any failure the
 * temporary file is removed and the target is untouched.
 */
public final class AtomicFiles {
  /** Temporary files start with this prefix (sync scanners skip them). */
  public static final String TEMP_PREFIX = ".vstmp-";

  private AtomicFiles() {}

  /** What writes the content. */
  @FunctionalInterface
  public interface Writer<T> {
    T write(OutputStream out) throws IOException;
  }

  /** Writes {@code target} atomically with what {@code writer} produces; returns its result. */
  public static <T> T write(Path target, Writer<T> writer) throws IOException {
    return write(target, target.toAbsolutePath().getParent(), writer);
  }

  /**
   * As {@link #write(Path, Writer)}, with the temporary file in {@code tempDir} instead of next to
   * the target, so that an interrupted write leaves nothing in the target's folder (a vault keeps
   * its temporary files in its state folder, out of sight of the apps that read the notes). When
   * {@code tempDir} is on another file system than the target, the content is copied next to the
   * target first ({@link #moveInto}).
   */
  public static <T> T write(Path target, Path tempDir, Writer<T> writer) throws IOException {
    Path temp = tempDir.resolve(tempName(target));
    boolean done = false;
    try (FileChannel ch =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
      T result = writer.write(out);
      out.flush();
      ch.force(true);
      ch.close();
      moveInto(temp, target);
      done = true;
      fsyncDirectory(target.toAbsolutePath().getParent());
      return result;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /** A temporary file name for content bound for {@code target}: unique, and names the target. */
  public static String tempName(Path target) {
    String name = target.getFileName().toString();
    return TEMP_PREFIX
        + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + "-"
        + (name.length() > 100 ? name.substring(0, 100) : name);
  }

  /**
   * Renames the complete, synced file {@code temp} over {@code target} atomically. If they are on
   * different file systems (a folder of the vault is a mount point), the content is first copied to
   * a temporary file next to the target and synced, and that one is renamed: the target is never
   * seen half-written either way. The caller syncs the target's folder.
   */
  public static void moveInto(Path temp, Path target) throws IOException {
    try {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return;
    } catch (AtomicMoveNotSupportedException acrossFileSystems) {
      // copied below
    }
    Path near = target.toAbsolutePath().getParent().resolve(tempName(target));
    boolean done = false;
    try {
      Files.copy(temp, near);
      try (FileChannel ch = FileChannel.open(near, StandardOpenOption.WRITE)) {
        ch.force(true);
      }
      Files.move(near, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      done = true;
      Files.deleteIfExists(temp);
    } finally {
      if (!done) {
        Files.deleteIfExists(near);
      }
    }
  }

  /** Flushes a folder's entries to disk where the platform allows it (not on Windows). */
  public static void fsyncDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Some platforms cannot open or sync a directory; the rename is still atomic there.
    }
  }
}
