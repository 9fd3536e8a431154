package io.vaultsync.server.app;

import java.net.URI;
import java.util.Objects;

/**
 * Where a server of several processes keeps what they share: the metadata database ({@code
 * postgresql://...}) and the content objects ({@code s3://bucket[/prefix]} at {@code s3Endpoint}),
 * with this process's name and the local cache the object store may keep in the data folder. Null
 * where the server keeps everything in its data folder (the embedded default).
 *
 * @param database the database URL (its password may come from {@code PGPASSWORD} instead)
 * @param objects the object store URL
 * @param s3Endpoint the object store's address; null: the provider's default (AWS)
 * @param serverId this process's name in leases and logs
 * @param cacheBytes the most the local object cache may hold
 * @param masterFolders the folder of the vaults' master folders, kept by one process at a time;
 *     null: none
 */
public record StorageSettings(
    String database,
    URI objects,
    URI s3Endpoint,
    String serverId,
    long cacheBytes,
    java.nio.file.Path masterFolders) {
  /** The local object cache's default bound. */
  public static final long DEFAULT_CACHE_BYTES = 256L << 20;

  public StorageSettings {
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(objects, "objects");
    Objects.requireNonNull(serverId, "serverId");
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("--cache-size " + cacheBytes + "; expected 0 or more");
    }
  }
}
