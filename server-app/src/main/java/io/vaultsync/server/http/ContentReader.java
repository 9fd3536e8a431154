package io.vaultsync.server.http;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;

/**
 * Streams stored content by hash: the only way HTTP handlers read note bytes. Content comes from
 * the immutable content store, never from a master folder by path, so no symlink, {@code ..} or
 * edit in progress on the server's disk can leak into a response, and a version read once is the
 * same version to its last byte.
 */
@FunctionalInterface
public interface ContentReader {
  /**
   * The content with {@code hash} from its first byte; the caller closes the stream.
   *
   * @throws java.nio.file.NoSuchFileException if nothing with {@code hash} is stored
   */
  InputStream open(ContentHash hash) throws IOException;

  /** A reader over {@code store}. */
  static ContentReader of(ContentStore store) {
    return hash -> store.open(hash).stream();
  }
}
