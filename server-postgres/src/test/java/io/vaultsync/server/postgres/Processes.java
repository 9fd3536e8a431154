package io.vaultsync.server.postgres;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Several server "processes" on one fresh test database: each a {@link PostgresClusterDatabase}
 * with its own pools, listening connection and holder name, as separate JVMs would have.
 */
final class Processes implements AutoCloseable {
  final PostgresUrl url;
  private final List<PostgresClusterDatabase> open = new ArrayList<>();

  Processes(int n) throws IOException {
    url = PostgresFixture.newDatabase();
    for (int i = 0; i < n; i++) {
      open.add(PostgresClusterDatabase.open(url, "server-" + (char) ('a' + i), 4));
    }
  }

  PostgresClusterDatabase get(int i) {
    return open.get(i);
  }

  @Override
  public void close() {
    for (PostgresClusterDatabase p : open) {
      p.close();
    }
  }
}
