package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.client.RemoteVault;
import io.vaultsync.client.VaultSync;
import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A watcher applies the changes its subscription streams (issue 13, item 5): a change another
 * device commits reaches the watched folder without the watcher asking the server for the changes
 * since its seq again. On the in-memory server; the transport counts the calls.
 */
class StreamedChangesWatchTest {
  @TempDir Path tmp;

  @Test
  @Timeout(60)
  void aStreamedChangeIsAppliedWithoutReadingTheChangesAgain() throws Exception {
    try (InProcessVaultTransport server = new InProcessVaultTransport()) {
      RemoteConnector shared = RemoteConnector.sharing(server);
      VaultSync other = VaultSync.builder(shared).build();
      URI url = URI.create("inprocess://notes");
      Path desk = Files.createDirectories(tmp.resolve("desk"));
      Files.writeString(desk.resolve("a.md"), "one\n");
      other.init(desk, new RemoteVault(url, "notes", "desk", "t"));
      Path watched = tmp.resolve("watched");
      other.cloneInto(watched, new RemoteVault(url, "notes", "laptop", "t"));

      AtomicReference<CountingTransport> wire = new AtomicReference<>();
      RemoteConnector counted =
          (server1, token) -> {
            CountingTransport t = new CountingTransport(shared.connect(server1, token));
            wire.set(t);
            return t;
          };
      List<Long> connected = new CopyOnWriteArrayList<>();
      List<String> problems = new CopyOnWriteArrayList<>();
      WatchSession session =
          new WatchSession(
              watched,
              counted,
              Clock.systemUTC(),
              WatchOptions.DEFAULTS,
              reporter(connected, problems),
              7);
      Thread loop = new Thread(() -> runQuietly(session), "watch");
      loop.start();
      try {
        await().atMost(Duration.ofSeconds(20)).until(() -> !connected.isEmpty());
        long readsBefore = wire.get().changesSinceCalls();
        long cyclesBefore = session.cycles();

        Files.writeString(desk.resolve("b.md"), "two\n");
        Files.writeString(desk.resolve("a.md"), "one, edited\n");
        SyncReport up = other.sync(desk);
        assertThat(up.filesUp()).isEqualTo(2);

        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> session.appliedSeq() >= up.seq() && Files.exists(watched.resolve("b.md")));
        assertThat(watched.resolve("a.md")).hasContent("one, edited");
        assertThat(watched.resolve("b.md")).hasContent("two");
        assertThat(session.cycles()).isGreaterThan(cyclesBefore);
        assertThat(wire.get().changesSinceCalls())
            .as("changesSince calls after the streamed change")
            .isEqualTo(readsBefore);
        assertThat(problems).isEmpty();
      } finally {
        assertThat(session.stopAndWait(20_000)).isTrue();
        loop.join(20_000);
      }
    }
  }

  private static void runQuietly(WatchSession session) {
    try {
      session.run();
    } catch (Exception e) {
      throw new AssertionError("the watch loop ended with " + e, e);
    }
  }

  private static WatchSession.Reporter reporter(List<Long> connected, List<String> problems) {
    return new WatchSession.Reporter() {
      @Override
      public void synced(SyncReport report) {}

      @Override
      public void notSynced(List<NotSynced> files) {}

      @Override
      public void connected(long seq) {
        connected.add(seq);
      }

      @Override
      public void problem(String message, long retryMillis) {
        problems.add(message);
      }
    };
  }
}
