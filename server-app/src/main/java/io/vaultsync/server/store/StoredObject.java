package io.vaultsync.server.store;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import java.io.InputStream;

/**
 * Read access to one stored content. Reads are positional, so one object can serve several readers
 * at once; the underlying file stays open as long as the store is open.
 */
public interface StoredObject {
  ContentHash hash();

  long size();

  /** Random access for the patcher (a delta's COPY ops read from here). */
  Basis basis();

  /** The whole content from its first byte; the caller closes the stream. */
  InputStream stream();
}
