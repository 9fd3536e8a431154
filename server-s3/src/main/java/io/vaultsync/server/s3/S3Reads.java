package io.vaultsync.server.s3;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.DeltaObject;
import io.vaultsync.server.store.MissingContentException;
import io.vaultsync.server.store.RegionObject;
import io.vaultsync.server.store.StoreEvents;
import io.vaultsync.server.store.StoredObject;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The verified reads of an {@link S3ContentStore}: the index row, then the cached copy (verified
 * again: a disk can rot) or a ranged GET of just the object's bytes, hashed as they arrive and
 * handed out only when they match. A download that does not match is read again once (a transfer
 * error is not damage); then the copy is damaged: its row is dropped (unless it moved meanwhile),
 * the damage is reported once, and the content reads as missing until someone stores it again. A
 * pack found gone means a content GC rewrote it (the row moved: read the new place) or dropped the
 * object (missing); a row that still names it is damage. Small objects (up to {@link #IN_MEMORY})
 * are served from memory, larger ones from their file. Thread-safe.
 */
final class S3Reads {
  private static final Logger log = LoggerFactory.getLogger(S3Reads.class);

  /** Objects up to this size are read into memory and verified on every open. */
  static final long IN_MEMORY = 1 << 20;

  private final S3Settings settings;
  private final S3Bucket bucket;
  private final S3Index index;
  private final ContentCache cache;
  private final Supplier<StoreEvents> events;

  /** Called when a read has looked up its row, before it fetches: tests race a GC there. */
  volatile java.util.function.Consumer<ContentHash> lookedUp = h -> {};

  /** Large cached objects hashed once in this run, so later reads need not hash them again. */
  private final Set<ContentHash> verifiedLarge = ConcurrentHashMap.newKeySet();

  S3Reads(
      S3Settings settings,
      S3Bucket bucket,
      S3Index index,
      ContentCache cache,
      Supplier<StoreEvents> events) {
    this.settings = settings;
    this.bucket = bucket;
    this.index = index;
    this.cache = cache;
    this.events = events;
  }

  StoredObject open(ContentHash hash) throws IOException {
    for (int attempt = 0; ; attempt++) {
      IndexRow row;
      try {
        row = index.find(hash).orElse(null);
      } catch (CorruptDataException e) {
        throw new DamagedContentException(
            hash, "content " + hash.hex() + " has a damaged index row: " + e.getMessage(), e);
      }
      if (row == null) {
        throw new MissingContentException(hash, "content " + hash.hex() + " is not stored");
      }
      StoredObject cached = fromCache(hash, row.length());
      if (cached != null) {
        return cached;
      }
      lookedUp.accept(hash);
      try {
        return fetch(row);
      } catch (NoSuchFileException e) {
        // The pack is gone: a content GC rewrote it (the row moved) or dropped the object.
        Optional<IndexRow> now = index.find(hash);
        if (now.isEmpty()) {
          throw new MissingContentException(hash, "content " + hash.hex() + " is not stored");
        }
        if (!now.get().equals(row) && attempt < 3) {
          continue;
        }
        throw damaged(row, "its pack is missing from " + settings.describe());
      }
    }
  }

  /** The verified copy in the cache, or null (none, or it was damaged and is removed). */
  private StoredObject fromCache(ContentHash hash, long size) throws IOException {
    Path p = cache.lookup(hash);
    if (p == null) {
      return null;
    }
    try {
      if (size <= IN_MEMORY) {
        if (Files.size(p) == size) {
          byte[] bytes = Files.readAllBytes(p);
          if (bytes.length == size && ContentHash.digestOf(bytes).equals(hash)) {
            return new DeltaObject(hash, bytes.length, () -> bytes);
          }
        }
      } else {
        FileChannel ch = FileChannel.open(p, StandardOpenOption.READ);
        try {
          if (ch.size() == size && (verifiedLarge.contains(hash) || hashes(ch, hash))) {
            verifiedLarge.add(hash);
            StoredObject o = CachedFile.serve(hash, ch, size);
            ch = null;
            return o;
          }
        } finally {
          if (ch != null) {
            ch.close();
          }
        }
      }
    } catch (NoSuchFileException e) {
      return null; // evicted meanwhile
    }
    log.warn("removing the cached copy of {} from {}: it is damaged", hash.hex(), p);
    verifiedLarge.remove(hash);
    cache.remove(hash);
    return null;
  }

  private static boolean hashes(FileChannel ch, ContentHash hash) throws IOException {
    MessageDigest md = ContentHash.newDigest();
    try (InputStream in = new RegionObject(hash, ch, 0, ch.size()).stream()) {
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return ContentHash.finish(md).equals(hash);
  }

  /** Downloads {@code row}'s bytes (a ranged GET), verifies them, caches them and serves them. */
  private StoredObject fetch(IndexRow row) throws IOException {
    ContentHash hash = row.hash();
    boolean small = row.length() <= IN_MEMORY;
    for (int attempt = 1; ; attempt++) {
      Path temp = cache.newTempFile("get");
      ByteArrayOutputStream memory = small ? new ByteArrayOutputStream((int) row.length()) : null;
      MessageDigest md = ContentHash.newDigest();
      String why;
      try {
        try (OutputStream file = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW)) {
          bucket.read(
              row.pack(),
              row.offset(),
              row.length(),
              in -> {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = in.read(buf)) > 0; ) {
                  md.update(buf, 0, n);
                  file.write(buf, 0, n);
                  if (memory != null) {
                    memory.write(buf, 0, n);
                  }
                }
              });
        }
        if (Files.size(temp) == row.length() && ContentHash.finish(md).equals(hash)) {
          return serve(hash, temp, row.length(), memory);
        }
        why =
            "its bytes in pack " + row.pack() + " at offset " + row.offset() + " hash differently";
      } catch (EOFException e) {
        why = "pack " + row.pack() + " is shorter than its index says (" + e.getMessage() + ")";
      } finally {
        Files.deleteIfExists(temp);
      }
      if (attempt == 2) {
        throw damaged(row, why);
      }
      log.warn("content {}: {}; reading it again", hash.hex(), why);
    }
  }

  /** Caches the verified download {@code temp} and returns the object read from it. */
  private StoredObject serve(ContentHash hash, Path temp, long size, ByteArrayOutputStream memory)
      throws IOException {
    if (memory != null) {
      cache.put(hash, temp, size);
      byte[] bytes = memory.toByteArray();
      return new DeltaObject(hash, bytes.length, () -> bytes);
    }
    FileChannel ch = FileChannel.open(temp, StandardOpenOption.READ); // before it can be evicted
    try {
      cache.put(hash, temp, size); // too large for the cache: it stays in tmp/, deleted below
      verifiedLarge.add(hash);
      StoredObject o = CachedFile.serve(hash, ch, size);
      ch = null;
      return o;
    } finally {
      if (ch != null) {
        ch.close();
      }
    }
  }

  /**
   * Stops serving the copy at {@code row}, which is damaged or lost: drops its index row (unless it
   * moved meanwhile) and its cached copy, reports it once, and returns the exception to throw.
   */
  private DamagedContentException damaged(IndexRow row, String why) throws IOException {
    ContentHash hash = row.hash();
    cache.remove(hash);
    verifiedLarge.remove(hash);
    if (index.drop(row)) {
      String where = settings.describe() + " pack " + row.pack() + " at offset " + row.offset();
      log.error("content {} is damaged in {}: {}; no longer serving it", hash.hex(), where, why);
      events.get().damaged(hash, row.length(), where, why);
    }
    return new DamagedContentException(
        hash, "content " + hash.hex() + " is damaged in the object store (" + why + ")", null);
  }
}
