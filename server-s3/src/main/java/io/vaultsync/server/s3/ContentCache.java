package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local disk cache of a {@link S3ContentStore}: verified objects as files {@code
 * objects/<hash>}, least recently used first out, never more than {@code maxBytes} of content in
 * all (an object larger than that is not cached). The bound counts content bytes; the file system
 * adds its block rounding.
 *
 * <p>A file is put in place by an atomic rename of a complete, verified download, so the cache
 * never holds a partial object; files are still verified when read (a disk can rot), and a damaged
 * one is deleted and fetched again. {@code tmp/} holds downloads and batches being written; what a
 * crash left there is removed at open. One process per folder: a lock file ({@code lock}) refuses a
 * second. Thread-safe.
 */
final class ContentCache implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ContentCache.class);

  private final Path objects;
  private final Path tmp;
  private final long maxBytes;
  private final FileChannel lockChannel;
  private final FileLock lock;

  /** Cached objects and their sizes, least recently used first. Guarded by {@code this}. */
  private final LinkedHashMap<ContentHash, Long> entries = new LinkedHashMap<>(256, 0.75f, true);

  private long bytes;

  private ContentCache(
      Path objects, Path tmp, long maxBytes, FileChannel lockChannel, FileLock lock) {
    this.objects = objects;
    this.tmp = tmp;
    this.maxBytes = maxBytes;
    this.lockChannel = lockChannel;
    this.lock = lock;
  }

  /**
   * Opens (creating) the cache in {@code folder}, keeping what a previous run cached, up to {@code
   * maxBytes} (the oldest go first).
   *
   * @throws IOException if the folder cannot be written or another process uses it
   */
  static ContentCache open(Path folder, long maxBytes) throws IOException {
    Files.createDirectories(folder);
    FileChannel ch =
        FileChannel.open(
            folder.resolve("lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    FileLock lock;
    try {
      lock = ch.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      ch.close();
      throw new IOException(
          "cache folder "
              + folder
              + " is in use by another server process: give each process its own cache folder");
    }
    ContentCache cache;
    try {
      Path objects = Files.createDirectories(folder.resolve("objects"));
      Path tmp = Files.createDirectories(folder.resolve("tmp"));
      cache = new ContentCache(objects, tmp, maxBytes, ch, lock);
      cache.load();
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
    return cache;
  }

  private void load() throws IOException {
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(tmp)) {
      for (Path p : dir) {
        Files.deleteIfExists(p); // a download or batch of a run that ended
      }
    }
    record Found(ContentHash hash, long size, long modified) {}
    List<Found> found = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(objects)) {
      for (Path p : dir) {
        ContentHash h = parse(p.getFileName().toString());
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        if (h == null || !a.isRegularFile()) {
          log.warn("removing {} from the content cache: not a cached object", p);
          Files.deleteIfExists(p);
        } else {
          found.add(new Found(h, a.size(), a.lastModifiedTime().toMillis()));
        }
      }
    }
    found.sort(Comparator.comparingLong(Found::modified));
    synchronized (this) {
      for (Found f : found) {
        entries.put(f.hash(), f.size());
        bytes += f.size();
      }
      evict();
    }
  }

  private static ContentHash parse(String name) {
    if (name.length() != ContentHash.LENGTH * 2) {
      return null;
    }
    try {
      ContentHash h = ContentHash.parse(name);
      return h.hex().equals(name) ? h : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** A new file name for a download or a batch in {@code tmp/} (removed at the next open). */
  Path newTempFile(String kind) {
    return tmp.resolve(kind + "-" + UUID.randomUUID());
  }

  /** The cached file of {@code hash} (marking it used), or null. */
  synchronized Path lookup(ContentHash hash) {
    return entries.get(hash) == null ? null : objects.resolve(hash.hex());
  }

  /** Forgets and deletes the cached file of {@code hash} (it was found damaged). */
  void remove(ContentHash hash) throws IOException {
    synchronized (this) {
      Long size = entries.remove(hash);
      if (size != null) {
        bytes -= size;
      }
    }
    Files.deleteIfExists(objects.resolve(hash.hex()));
  }

  /**
   * Takes {@code verified} (a complete file of {@code size} bytes that hash to {@code hash}) into
   * the cache, evicting the least recently used objects to stay within the bound; returns its path
   * in the cache, or null if it is larger than the whole cache (the file is left where it is).
   */
  Path put(ContentHash hash, Path verified, long size) throws IOException {
    if (size > maxBytes) {
      return null;
    }
    Path target = objects.resolve(hash.hex());
    synchronized (this) {
      try {
        Files.move(verified, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(verified, target, StandardCopyOption.REPLACE_EXISTING);
      }
      Long old = entries.put(hash, size);
      bytes += size - (old == null ? 0 : old);
      evict();
      return entries.containsKey(hash) ? target : null;
    }
  }

  /** Removes least recently used objects until the cache is within its bound. Holds the lock. */
  private void evict() throws IOException {
    Iterator<Map.Entry<ContentHash, Long>> it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<ContentHash, Long> e = it.next();
      it.remove();
      bytes -= e.getValue();
      try {
        Files.deleteIfExists(objects.resolve(e.getKey().hex()));
      } catch (NoSuchFileException ignored) {
        // gone already
      }
    }
  }

  /** Bytes of content cached now. */
  synchronized long bytes() {
    return bytes;
  }

  /** Objects cached now. */
  synchronized int size() {
    return entries.size();
  }

  @Override
  public void close() throws IOException {
    if (!lockChannel.isOpen()) {
      return;
    }
    try {
      lock.release();
    } finally {
      lockChannel.close();
    }
  }
}
