package io.vaultsync.server.mirror;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the server itself last did to each path of the master folders (wrote a file of this size and
 * mtime, made a folder, removed it), so the watcher can tell the server's own writes from another
 * program's edits with one stat, instead of rescanning the vault after every write. A path whose
 * state differs from the stamp (someone touched it after the server did) is not "own", and the
 * watcher reconciles it as usual. Thread-safe; one entry per path the server touched.
 */
public final class OwnWrites {
  private record Stamp(long size, long mtimeNanos, boolean directory, boolean absent) {}

  private static final Stamp ABSENT = new Stamp(-1, 0, false, true);

  private final ConcurrentHashMap<Path, Stamp> stamps = new ConcurrentHashMap<>();

  /**
   * The server is about to rename {@code source} (complete, closed) to {@code target}: a rename
   * keeps size and mtime, so {@code target} will look as {@code source} does now. Called before the
   * rename, because the watcher may see the rename's events before the call returns.
   */
  public void willBecome(Path target, Path source) {
    stamps.put(key(target), stampOf(source));
  }

  /** The server is about to create the folder {@code dir} (called before, for the same reason). */
  public void madeDirectory(Path dir) {
    stamps.put(key(dir), new Stamp(0, 0, true, false));
  }

  /** The server is about to remove {@code path} (called before, for the same reason). */
  public void removed(Path path) {
    stamps.put(key(path), ABSENT);
  }

  /** Whether {@code path} is exactly as the server last left it. */
  public boolean isOwn(Path path) {
    Stamp s = stamps.get(key(path));
    if (s == null) {
      return false;
    }
    Stamp now = stampOf(path);
    return s.directory() ? now.directory() : s.equals(now);
  }

  private static Path key(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private static Stamp stampOf(Path p) {
    try {
      BasicFileAttributes a =
          Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      if (a.isDirectory()) {
        return new Stamp(0, 0, true, false);
      }
      return new Stamp(
          a.size(),
          a.lastModifiedTime().to(java.util.concurrent.TimeUnit.NANOSECONDS),
          false,
          false);
    } catch (NoSuchFileException e) {
      return ABSENT;
    } catch (IOException e) {
      return new Stamp(-2, 0, false, false); // unreadable: never equal to a stamp we took
    }
  }
}
