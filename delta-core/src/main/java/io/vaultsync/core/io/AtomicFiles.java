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
    Path dir = target.toAbsolutePath().getParent();
    String name = target.getFileName().toString();
    Path temp =
        dir.resolve(
            TEMP_PREFIX
                + Long.toHexString(ThreadLocalRandom.current().nextLong())
                + "-"
                + (name.length() > 100 ? name.substring(0, 100) : name));
    boolean done = false;
    try (FileChannel ch =
        FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
      T result = writer.write(out);
      out.flush();
      ch.force(true);
      ch.close();
      try {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      done = true;
      fsyncDirectory(dir);
      return result;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
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
