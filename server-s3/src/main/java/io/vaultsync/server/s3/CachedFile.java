package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.RegionObject;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.lang.ref.Cleaner;
import java.nio.channels.FileChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verified objects served from a local file (the cache's copy, or a download too large to cache)
 * through one open channel. The file may be evicted (unlinked) while the object is in use: the open
 * channel still reads it. {@link StoredObject} has no close, so the channel is closed once the
 * object (and every stream and basis of it, which hold it) is unreachable.
 */
final class CachedFile {
  private static final Logger log = LoggerFactory.getLogger(CachedFile.class);
  private static final Cleaner CLEANER = Cleaner.create();

  private CachedFile() {}

  /** The object of {@code size} bytes in {@code channel}, which it closes when unreachable. */
  static StoredObject serve(ContentHash hash, FileChannel channel, long size) {
    RegionObject o = new RegionObject(hash, channel, 0, size);
    CLEANER.register(o, () -> close(channel));
    return o;
  }

  private static void close(FileChannel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      log.warn("could not close a cached object's file: {}", e.getMessage());
    }
  }
}
