package io.vaultsync.client.watch;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the watch tests share: a {@link WatchTestServer} on loopback, replica folders whose watch
 * sessions run on threads of their own, and stopping them all after each test.
 */
abstract class WatchTestBase {
  @TempDir Path tmp;

  final ExecutorService threads = Executors.newCachedThreadPool();
  final List<WatchReplica> watchers = new ArrayList<>();
  WatchTestServer server;

  private final Duration converge;

  /** {@code converge}: how long a session may take to connect. */
  WatchTestBase(Duration converge) {
    this.converge = converge;
  }

  /** A replica in folder {@code name} of the test's folder, for device {@code device}. */
  WatchReplica replica(String name, String device) {
    return new WatchReplica(tmp.resolve(name), device, threads, converge);
  }

  @AfterEach
  void stopAll() throws Exception {
    for (WatchReplica w : watchers) {
      if (w.session != null) {
        w.session.stopAndWait(30_000);
      }
    }
    threads.shutdownNow();
    if (server != null) {
      server.close();
    }
  }
}
