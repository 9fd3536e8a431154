package io.vaultsync.server.app;

import io.vaultsync.server.cluster.ClusterDatabase;
import io.vaultsync.server.cluster.ObjectStoreProvider;
import io.vaultsync.server.cluster.StorageUnavailableException;
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
        try {
          return p.open(url, serverId);
        } catch (StorageUnavailableException e) {
          throw e;
        } catch (IOException e) {
          throw new StorageUnavailableException(
              "--database " + redacted(url) + ": " + e.getMessage(), e);
        }
      }
    }
    throw noDatabase(url);
  }

  /** Opens the object store at {@code url}. */
  static ContentStore objects(URI url, URI endpoint, Path cache, long cacheBytes, Database database)
      throws IOException {
    for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class)) {
      if (p.opens(url)) {
        try {
          return p.open(url, endpoint, cache, cacheBytes, database);
        } catch (StorageUnavailableException e) {
          throw e;
        } catch (IOException e) {
          throw new StorageUnavailableException("--objects " + url + ": " + e.getMessage(), e);
        }
      }
    }
    throw noObjects(url);
  }

  /**
   * Checks that a provider on the class path opens {@code database} and {@code objects}, before
   * anything starts.
   *
   * @throws IllegalArgumentException naming the URL no provider opens
   */
  static void requireProviders(String database, URI objects) {
    boolean db = false;
    for (ClusterDatabase.Provider p : ServiceLoader.load(ClusterDatabase.Provider.class)) {
      db |= p.opens(database);
    }
    if (!db) {
      throw noDatabase(database);
    }
    boolean obj = false;
    for (ObjectStoreProvider p : ServiceLoader.load(ObjectStoreProvider.class)) {
      obj |= p.opens(objects);
    }
    if (!obj) {
      throw noObjects(objects);
    }
  }

  private static IllegalArgumentException noDatabase(String url) {
    return new IllegalArgumentException(
        "--database "
            + redacted(url)
            + ": expected postgresql://USER@HOST:PORT/DATABASE (no other database is built in)");
  }

  private static IllegalArgumentException noObjects(URI url) {
    return new IllegalArgumentException(
        "--objects " + url + ": expected s3://BUCKET or s3://BUCKET/PREFIX");
  }

  /** {@code url} without the password it may carry ({@code user:password@host}). */
  static String redacted(String url) {
    return url.replaceAll("://([^:/@]+):[^@/]*@", "://$1:***@");
  }
}
