package io.vaultsync.client.sync;

import io.vaultsync.cluster.ClusterServersAccess;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The convergence property (client-app's {@link ConvergencePropertyTest}: three replicas, seeded
 * random creates, edits, deletes, moves, folder renames and conflicts with syncs interleaved)
 * against a server of two processes on PostgreSQL and S3-compatible storage: the replicas connect
 * to the processes in turn, so their syncs cross processes; every replica must end equal to the
 * server and no version that existed at a sync may be lost.
 */
class ClusterConvergenceTest extends ConvergencePropertyTest {
  @BeforeAll
  static void startObjectStore() throws Exception {
    ClusterServersAccess.startObjectStore();
  }

  @AfterAll
  static void stopObjectStore() {
    ClusterServersAccess.stopObjectStore();
  }

  static Stream<Arguments> seeds() {
    return LongStream.of(1L, 42L, 20261207L).mapToObj(Arguments::of);
  }

  /** Not here: the in-memory and single-server runs are client-app's. */
  @Override
  void replicasConvergeAndNothingIsLost(Remote remote, long seed) {}

  @ParameterizedTest(name = "two processes on PostgreSQL + S3, seed {0}")
  @MethodSource("seeds")
  @Timeout(300)
  void replicasOfTwoProcessesConvergeAndNothingIsLost(long seed) throws Exception {
    try (ClusterServersAccess.Opened cluster = ClusterServersAccess.open(tmp.resolve("cluster"))) {
      run(
          seed,
          200,
          new Backend() {
            private int next;

            @Override
            public VaultTransport connect(String device) throws IOException {
              return cluster.connect(next++ % 2, device);
            }

            @Override
            public Map<String, ContentHash> masterCopy() throws IOException {
              return Replica.serverFiles(cluster.connect(0, "auditor"));
            }

            @Override
            public boolean stores(ContentHash hash) {
              return cluster.stores(hash);
            }

            @Override
            public void close() {}

            @Override
            public String toString() {
              return "two processes on PostgreSQL + S3";
            }
          });
    }
  }
}
