package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.client.grpc.GrpcConnector;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.sync.VaultSetup;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * One replica folder of a watch test and its running {@link WatchSession} against a {@link
 * WatchTestServer} over loopback gRPC: starts and stops the session, hears what it reports, and
 * edits the folder as a user would.
 */
final class WatchReplica implements WatchSession.Reporter {
  final Path dir;
  final String device;
  final List<SyncReport> reports = new CopyOnWriteArrayList<>();
  final List<String> problems = new CopyOnWriteArrayList<>();
  final List<List<NotSynced>> notSyncedReports = new CopyOnWriteArrayList<>();
  volatile long connects;
  WatchSession session;
  Future<?> running;

  private final ExecutorService threads;
  private final Duration converge;

  /**
   * A replica at {@code dir} whose session runs on {@code threads}, connecting within {@code
   * converge}.
   */
  WatchReplica(Path dir, String device, ExecutorService threads, Duration converge) {
    this.dir = dir;
    this.device = device;
    this.threads = threads;
    this.converge = converge;
  }

  /** Uploads this folder as the server's new vault {@link WatchTestServer#VAULT}. */
  void init(WatchTestServer server) throws IOException {
    String token = server.token(device);
    try (VaultTransport t = new GrpcConnector().connect(server.uri(), token)) {
      VaultSetup.init(dir, config(server), token, t, Clock.systemDefaultZone());
    }
  }

  /** Clones the server's vault into this folder. */
  void cloneFrom(WatchTestServer server) throws IOException {
    String token = server.token(device);
    try (VaultTransport t = new GrpcConnector().connect(server.uri(), token)) {
      VaultSetup.cloneInto(dir, config(server), token, t, Clock.systemDefaultZone());
    }
  }

  /** This replica's configuration for {@code server}'s vault. */
  VaultConfig config(WatchTestServer server) {
    return new VaultConfig(server.uri(), WatchTestServer.VAULT, device);
  }

  void start(long seed) {
    start(seed, WatchOptions.DEFAULTS);
  }

  void start(long seed, WatchOptions options) {
    session =
        new WatchSession(
            dir,
            new GrpcConnector(),
            Clock.systemDefaultZone(),
            options.withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)),
            this,
            seed);
    running =
        threads.submit(
            () -> {
              session.run();
              return null;
            });
    await().atMost(converge).until(() -> connects > 0 || running.isDone());
    assertThat(running).isNotDone();
  }

  void stop() throws Exception {
    assertThat(session.stopAndWait(30_000)).isTrue();
    running.get(30, java.util.concurrent.TimeUnit.SECONDS); // rethrows what ended the loop
  }

  /** Fails at once with what ended the session, if it ended. */
  boolean stillRunning() throws Exception {
    if (running.isDone()) {
      try {
        running.get();
      } catch (java.util.concurrent.ExecutionException e) {
        throw new AssertionError(device + "'s watch ended: " + e.getCause(), e.getCause());
      }
      throw new AssertionError(device + "'s watch ended");
    }
    return true;
  }

  Map<String, ContentHash> files() throws IOException {
    return WatchTestServer.files(dir);
  }

  void write(String path, String content) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Files.writeString(f, content, StandardCharsets.UTF_8);
  }

  /** Saves like many editors do: a temporary file next to the note, renamed over it. */
  void save(String path, String content) throws IOException {
    Path f = dir.resolve(path);
    Files.createDirectories(f.getParent());
    Path temp = f.resolveSibling("." + f.getFileName() + ".swp");
    Files.writeString(temp, content, StandardCharsets.UTF_8);
    Files.move(temp, f, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  String read(String path) throws IOException {
    return Files.readString(dir.resolve(path), StandardCharsets.UTF_8);
  }

  int moved() {
    return reports.stream().mapToInt(SyncReport::moved).sum();
  }

  int deleted() {
    return reports.stream().mapToInt(SyncReport::deleted).sum();
  }

  List<NotSynced> lastNotSynced() {
    return notSyncedReports.isEmpty()
        ? List.of()
        : notSyncedReports.get(notSyncedReports.size() - 1);
  }

  @Override
  public void synced(SyncReport report) {
    reports.add(report);
  }

  @Override
  public void connected(long seq) {
    connects++;
  }

  @Override
  public void problem(String message, long retryMillis) {
    problems.add(message);
    System.out.println(device + ": " + message + " (retry in " + retryMillis + " ms)");
  }

  @Override
  public void notSynced(List<NotSynced> files) {
    notSyncedReports.add(files);
  }
}
