package io.vaultsync.server.postgres;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A test class on two "processes" (see {@link Processes}) sharing a fresh database for the whole
 * class: {@code cluster.get(0)} and {@code cluster.get(1)}.
 */
abstract class ClusterTest {
  static Processes cluster;

  @BeforeAll
  static void startProcesses() throws Exception {
    cluster = new Processes(2);
  }

  @AfterAll
  static void stopProcesses() {
    if (cluster != null) {
      cluster.close();
      cluster = null;
    }
  }
}
