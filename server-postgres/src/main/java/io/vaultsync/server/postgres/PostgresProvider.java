package io.vaultsync.server.postgres;

import io.vaultsync.server.cluster.ClusterDatabase;
import java.io.IOException;

/**
 * Opens {@code postgresql://user[:password]@host[:port]/dbname[?params]} URLs (also {@code
 * postgres://}; the password may come from {@code PGPASSWORD}) as a {@link
 * PostgresClusterDatabase}. Found by {@link java.util.ServiceLoader} through {@code
 * META-INF/services/io.vaultsync.server.cluster.ClusterDatabase$Provider}.
 */
public final class PostgresProvider implements ClusterDatabase.Provider {
  @Override
  public boolean opens(String url) {
    return PostgresUrl.isPostgresUrl(url);
  }

  @Override
  public ClusterDatabase open(String url, String serverId) throws IOException {
    PostgresUrl parsed;
    try {
      parsed = PostgresUrl.parse(url);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage(), e);
    }
    return PostgresClusterDatabase.open(parsed, serverId, PostgresDatabase.DEFAULT_POOL_SIZE);
  }
}
