package io.vaultsync.server.app;

import io.vaultsync.server.cluster.ClusterDatabase;
import io.vaultsync.server.cluster.ObjectStoreProvider;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.store.ContentStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ServiceLoader;

/**
 * Opens what the processes of one server share, through the providers on the class path ({@link
 * ServiceLoader}): the {@code server-postgres} module for {@code postgresql://} and {@code
 * server-s3} for {@code s3://}. A URL no provider opens is an operator's mistake: a one-line {@link
 * IllegalArgumentException} naming it.
 */
final class SharedStorage {
  private SharedStorage() {}

  /** Opens the cluster database at {@code url}. */
  static ClusterDatabase database(String url, String serverId) throws IOException {
    for (ClusterDatabase.Provider p : ServiceLoader.load(ClusterDatabase.Provider.class)) {
      if (p.opens(url)) {
        return p.open(url, serverId);
      }
    }
    throw new IllegalArgumentException(
        "--database "
            + redacted(url)
            + ": expected postgresql://USER@HOST:PORT/DATABASE (no other database is built in)");
  }

  /** Opens the object store at {@code url}. */
  static ContentStore objects(URI url, URI endpoint, Path cache, long cacheBytes, Database database)
      throws IOException {
    for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class)) {
      if (p.opens(url)) {
        return p.open(url, endpoint, cache, cacheBytes, database);
      }
    }
    throw new IllegalArgumentException(
        "--objects " + url + ": expected s3://BUCKET or s3://BUCKET/PREFIX");
  }

  /** {@code url} without the password it may carry ({@code user:password@host}). */
  static String redacted(String url) {
    return url.replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
  }
}
