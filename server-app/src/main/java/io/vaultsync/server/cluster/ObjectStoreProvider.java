package io.vaultsync.server.cluster;

import io.vaultsync.server.db.Database;
import io.vaultsync.server.store.ContentStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens content stores kept outside the data folder (S3-compatible object storage), found by {@link
 * java.util.ServiceLoader} so that server-app does not depend on the module that implements them.
 */
public interface ObjectStoreProvider {
  /** Whether this provider opens {@code url} (e.g. {@code s3://bucket/prefix}). */
  boolean opens(URI url);

  /**
   * Opens the store at {@code url}.
   *
   * @param endpoint the service's address (null: the provider's default, e.g. AWS)
   * @param cache a local folder the store may keep a bounded cache in
   * @param cacheBytes the most the cache may hold
   * @param database the cluster's database, for what the store must share between processes
   * @throws IOException with a one-line message naming the URL when it cannot be reached, the
   *     bucket is missing or the credentials are refused
   */
  ContentStore open(URI url, URI endpoint, Path cache, long cacheBytes, Database database)
      throws IOException;
}
