package io.vaultsync.server.app;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The lock on a data folder's {@code server.lock}, so two servers never share one folder: a server
 * process holds it while it runs ({@link #forServer}), and commands that must not run beside a
 * server ({@code server check}) take it too ({@link #exclusive}). Held until {@link #close}.
 */
final class ServerLock implements AutoCloseable {
  private final FileChannel channel;
  private final FileLock lock;

  private ServerLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock for a server.
   *
   * @throws DataFolderInUseException if another server holds it, in this JVM or another
   */
  static ServerLock forServer(Path dir) throws IOException {
    FileChannel ch = open(dir);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null; // a server in this JVM holds it
    } catch (IOException e) {
      ch.close();
      throw e;
    }
    if (lock == null) {
      ch.close();
      throw new DataFolderInUseException(dir, null);
    }
    return new ServerLock(ch, lock);
  }

  /**
   * Takes the lock for a command that must not run beside a server, in this JVM or another.
   *
   * @throws DataFolderInUseException if a server (or another such command) holds it
   */
  static ServerLock exclusive(Path dir) throws IOException {
    FileChannel ch = open(dir);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (IOException | OverlappingFileLockException e) {
      ch.close();
      throw new DataFolderInUseException(dir, e);
    }
    if (lock == null) {
      ch.close();
      throw new DataFolderInUseException(dir, null);
    }
    return new ServerLock(ch, lock);
  }

  private static FileChannel open(Path dir) throws IOException {
    return FileChannel.open(
        dir.resolve("server.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
