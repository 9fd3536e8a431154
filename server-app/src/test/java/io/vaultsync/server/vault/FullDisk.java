package io.vaultsync.server.vault;

import io.vaultsync.server.mirror.MasterDisk;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A master-folder disk with a budget of free bytes, for tests: a file's content fits if its bytes
 * fit in what is left (a write past it fails with "No space left on device", as the kernel's ENOSPC
 * does, and the server removes the partial temporary file, so its bytes count for nothing); a new
 * folder costs one {@link #BLOCK}. Renames cost nothing. So with little room the small notes are
 * written and a large attachment, or a note in a new folder, fails: the pattern of the issue.
 */
final class FullDisk implements MasterDisk {
  /** What a new folder takes. */
  static final long BLOCK = 4096;

  static final String ENOSPC = "No space left on device";

  private final AtomicLong free;
  private final AtomicInteger failures = new AtomicInteger();

  FullDisk(long freeBytes) {
    this.free = new AtomicLong(freeBytes);
  }

  /** Makes room (or takes it away): {@code bytes} are free from now on. */
  void setFree(long bytes) {
    free.set(bytes);
  }

  /** How many operations failed for lack of space so far. */
  int failures() {
    return failures.get();
  }

  @Override
  public OutputStream create(Path file) throws IOException {
    OutputStream real = MasterDisk.REAL.create(file);
    return new FilterOutputStream(real) {
      private long written;
      private boolean failed;

      @Override
      public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        if (written + len > free.get()) {
          failures.incrementAndGet();
          failed = true;
          throw new IOException(ENOSPC);
        }
        written += len;
        out.write(b, off, len);
      }

      @Override
      public void close() throws IOException {
        super.close();
        if (!failed) {
          free.addAndGet(-written); // a failed file's temporary copy is removed
        }
      }
    };
  }

  @Override
  public void replace(Path from, Path to) throws IOException {
    MasterDisk.REAL.replace(from, to);
  }

  @Override
  public void createDirectory(Path dir) throws IOException {
    if (free.get() < BLOCK) {
      failures.incrementAndGet();
      throw new FileSystemException(dir.toString(), null, ENOSPC);
    }
    MasterDisk.REAL.createDirectory(dir);
    free.addAndGet(-BLOCK);
  }
}
