package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.watch.WatchOptions;
import io.vaultsync.client.watch.WatchSession;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: {@code vaultsync sync DIR} handed to the {@code vaultsync watch} running on DIR over
 * 127.0.0.1 (docs/FORMAT.md, "Local hand-off"): the watch's side ({@link HandOffListener} on a real
 * {@link WatchSession} against an in-process server) and the launcher's (the bash of {@code
 * src/main/sh/sync-handoff.bash}, and {@code ./vaultsync} itself, which hands off before any JVM).
 */
class HandOffTest {
  private static final Path SCRIPT = Path.of("src/main/sh/sync-handoff.bash").toAbsolutePath();
  private static final Path LAUNCHER = Path.of("../vaultsync").toAbsolutePath();

  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final AtomicBoolean failing = new AtomicBoolean();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();
  private volatile long callDelayMillis;
  private final AtomicInteger connects = new AtomicInteger();
  private final List<SyncReport> watchReports = new java.util.concurrent.CopyOnWriteArrayList<>();
  private Path dir;
  private WatchSession session;
  private Future<?> running;
  private HandOffListener listener;

  @BeforeEach
  void startWatch() throws Exception {
    dir = Files.createDirectories(tmp.resolve("a"));
    Files.writeString(dir.resolve("one.md"), "one\n");
    Cli.Run init = Cli.run(faulty(), Clock.systemDefaultZone(), Cli.init(dir, "--token", "t"));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    session =
        new WatchSession(
            dir,
            faulty(),
            Clock.systemDefaultZone(),
            WatchOptions.DEFAULTS.withBackoff(Duration.ofMillis(20), Duration.ofMillis(50)),
            reporter(),
            1L);
    running =
        threads.submit(
            () -> {
              session.run();
              return null;
            });
    await().atMost(Duration.ofSeconds(30)).until(() -> connects.get() > 0 || running.isDone());
    listener = HandOffListener.start(dir, session, () -> java.net.URI.create(Cli.SERVER));
  }

  @AfterEach
  void stopWatch() throws Exception {
    listener.close();
    assertThat(session.stopAndWait(30_000)).isTrue();
    threads.shutdownNow();
  }

  @Test
  void aHandedOffSyncPrintsTheOneShotReportAndExitCode() throws Exception {
    Files.writeString(dir.resolve("two.md"), "two\n");
    List<String> answer = handOff(listener.endpoint().secret(), "sync");
    assertThat(answer.get(0)).isEqualTo("accepted");
    assertThat(answer).last().isEqualTo("exit 0");
    assertThat(onServer("two.md")).isTrue();
    assertThat(watchReports).anyMatch(r -> r.filesUp() == 1);
    // the very lines the one-shot sync prints, now that both are in sync
    List<String> again = handOff(listener.endpoint().secret(), "sync");
    Cli.Run oneShot = Cli.run(faulty(), Clock.systemDefaultZone(), "sync", dir.toString());
    assertThat(oneShot.exitCode()).isZero();
    assertThat(withoutTime(again.subList(1, again.size())))
        .containsExactlyElementsOf(
            withoutTime(
                concat(oneShot.text().lines().map(l -> "out " + l).toList(), List.of("exit 0"))));

    List<String> json = handOff(listener.endpoint().secret(), "sync --json --quiet");
    assertThat(json.get(1)).startsWith("out {\"command\":\"sync\"").contains("\"filesUp\":0");
    assertThat(json).last().isEqualTo("exit 0");
  }

  @Test
  void theEndpointFileIsTheOwnersOnlyAndGoesWithTheWatch() throws Exception {
    Path file = HandOffEndpoint.file(dir);
    assertThat(Files.getPosixFilePermissions(file))
        .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    assertThat(Files.readAllLines(file))
        .contains(HandOffEndpoint.MAGIC, "port " + listener.endpoint().port());
    listener.close();
    assertThat(file).doesNotExist();
  }

  @Test
  void aWrongSecretIsRefusedAndTheLauncherFallsBack() throws Exception {
    String wrong = "0".repeat(64);
    assertThat(handOff(wrong, "sync")).containsExactly("refused wrong secret");
    // the launcher's side: an endpoint file with the wrong secret, and a stale one
    int port = listener.endpoint().port();
    listener.close();
    listener = HandOffListener.start(dir, session, () -> null);
    new HandOffEndpoint(listener.endpoint().port(), wrong).write(dir);
    Bash wrongSecret = bash(dir.toString(), "--verbose");
    assertThat(wrongSecret.code()).isEqualTo(99); // returned: the caller runs the JVM
    assertThat(wrongSecret.stdout()).isEmpty();
    assertThat(wrongSecret.stderr()).contains("wrong secret");

    listener.close();
    new HandOffEndpoint(port, wrong).write(dir); // nothing listens there any more
    Bash stale = bash(dir.toString());
    assertThat(stale.code()).isEqualTo(99);
    assertThat(stale.stdout()).isEmpty();
    assertThat(stale.stderr()).as("quiet without --verbose").isEmpty();
    assertThat(bash(dir.toString(), "--verbose").stderr()).contains("stale endpoint");
    assertThat(bash(dir.toString(), "--token", "x").code()).as("not handed off").isEqualTo(99);
  }

  @Test
  void theLauncherHandsASyncToTheWatchWithoutAJvm() throws Exception {
    Files.writeString(dir.resolve("three.md"), "three\n");
    // through ./vaultsync itself: the hand-off comes before the build check and any JVM
    // a java that only says it was started: the hand-off must not need one (nor build the jar)
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\necho JVM STARTED\nexit 42\n");
    java.toFile().setExecutable(true);
    ProcessBuilder pb = new ProcessBuilder("bash", LAUNCHER.toString(), "sync", dir.toString());
    pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    pb.environment().remove("JAVA_HOME");
    Bash viaLauncher = Bash.run(pb);
    assertThat(viaLauncher.stdout()).doesNotContain("JVM STARTED");
    assertThat(viaLauncher.code()).as(viaLauncher.stderr()).isZero();
    assertThat(viaLauncher.stdout()).startsWith("synced at seq ").contains(" 0 conflicts kept");
    assertThat(onServer("three.md")).isTrue();

    Bash json = bash(dir.toString(), "--json");
    assertThat(json.code()).isZero();
    assertThat(json.stdout()).startsWith("{\"command\":\"sync\"");
  }

  @Test
  void theWatchSurvivesAFailingRoundAndReportsItAsTheOneShotSyncWould() throws Exception {
    failing.set(true);
    List<String> answer = handOff(listener.endpoint().secret(), "sync");
    Cli.Run oneShot = Cli.run(faulty(), Clock.systemDefaultZone(), "sync", dir.toString());
    assertThat(oneShot.exitCode()).isEqualTo(2);
    assertThat(answer)
        .containsExactlyElementsOf(
            concat(
                concat(
                    List.of("accepted"),
                    oneShot.stderrLines().stream().map(l -> "err " + l).toList()),
                List.of("exit 2")));
    assertThat(answer.get(1)).contains("injected failure");
    // while it cannot reach the server, the watch tells the client to sync by itself
    assertThat(handOff(listener.endpoint().secret(), "sync").get(0)).startsWith("fallback ");
    failing.set(false);
    await().atMost(Duration.ofSeconds(30)).until(() -> connects.get() >= 2);
    assertThat(running).isNotDone();
    Files.writeString(dir.resolve("after.md"), "after\n");
    Bash after = bash(dir.toString());
    assertThat(after.code()).as(after.stderr()).isZero();
    assertThat(onServer("after.md")).isTrue();
  }

  @Test
  void concurrentHandOffsNeverRunTwoRoundsAtOnce() throws Exception {
    callDelayMillis = 30;
    List<Future<List<String>>> answers = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int n = i;
      Files.writeString(dir.resolve("c" + n + ".md"), "concurrent " + n + "\n");
      answers.add(
          threads.submit(
              () -> handOff(listener.endpoint().secret(), n % 2 == 0 ? "sync" : "sync --json")));
    }
    for (Future<List<String>> f : answers) {
      assertThat(f.get(60, TimeUnit.SECONDS)).last().isEqualTo("exit 0");
    }
    assertThat(maxInFlight.get()).as("server calls of two rounds overlapped").isEqualTo(1);
    for (int i = 0; i < 4; i++) {
      assertThat(onServer("c" + i + ".md")).isTrue();
    }
  }

  @Test
  void aTooLongRequestLineIsCutOff() throws Exception {
    List<String> answer =
        handOff(listener.endpoint().secret(), "sync " + "x".repeat(HandOffListener.MAX_LINE));
    assertThat(answer).isEmpty();
    assertThat(handOff(listener.endpoint().secret(), "sync --dry-run").get(0))
        .startsWith("fallback option \"--dry-run\"");
  }

  /** Sends the hello with {@code secret} and {@code request}; every line the watch answers. */
  private List<String> handOff(String secret, String request) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), listener.endpoint().port())) {
      s.setSoTimeout(60_000);
      OutputStream out = s.getOutputStream();
      out.write(
          (HandOffListener.HELLO + " " + secret + "\n" + request + "\n")
              .getBytes(StandardCharsets.UTF_8));
      out.flush();
      BufferedReader in =
          new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
      List<String> lines = new ArrayList<>();
      try {
        for (String l; (l = in.readLine()) != null; ) {
          lines.add(l);
        }
      } catch (java.net.SocketException reset) {
        // the watch cut the connection (a line too long)
      }
      return lines;
    }
  }

  record Bash(int code, String stdout, String stderr) {
    static Bash run(ProcessBuilder pb) throws IOException, InterruptedException {
      Process p = pb.start();
      p.getOutputStream().close();
      Future<String> err;
      ExecutorService one = Executors.newSingleThreadExecutor();
      try {
        err =
            one.submit(() -> new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Bash(p.exitValue(), out, err.get());
      } catch (java.util.concurrent.ExecutionException e) {
        throw new IOException(e);
      } finally {
        one.shutdownNow();
      }
    }
  }

  /** The launcher's function on {@code args}: its exit code, or 99 when it returned (fallback). */
  private static Bash bash(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add("bash");
    cmd.add("-c");
    cmd.add("set -euo pipefail; . \"$0\"; vaultsync_handoff \"$@\" || exit 99");
    cmd.add(SCRIPT.toString());
    cmd.addAll(List.of(args));
    return Bash.run(new ProcessBuilder(cmd));
  }

  private boolean onServer(String path) throws IOException {
    return server.manifest("v").entries().stream()
        .map(RemoteEntry::path)
        .anyMatch(p -> p.value().equals(path));
  }

  /** The lines with the time a sync took ("in 0.05 s") left out. */
  private static List<String> withoutTime(List<String> lines) {
    return lines.stream().map(l -> l.replaceAll(" in [0-9.]+ s$", "")).toList();
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }

  /**
   * Connections to the in-process server that fail every call while {@link #failing}, wait {@link
   * #callDelayMillis} in each, and count calls in flight at once.
   */
  private RemoteConnector faulty() {
    return (uri, token) -> {
      VaultTransport inner = new CountingTransport(server);
      return (VaultTransport)
          Proxy.newProxyInstance(
              VaultTransport.class.getClassLoader(),
              new Class<?>[] {VaultTransport.class},
              (proxy, method, args) -> {
                String name = method.getName();
                if (name.equals("close")) {
                  return null; // closing the in-process server would end every feed
                }
                boolean counted =
                    !Set.of("subscribe", "toString", "hashCode", "equals").contains(name);
                if (counted && failing.get()) {
                  throw new IOException("injected failure");
                }
                int now = counted ? inFlight.incrementAndGet() : 0;
                maxInFlight.accumulateAndGet(now, Math::max);
                try {
                  if (counted && callDelayMillis > 0) {
                    Thread.sleep(callDelayMillis);
                  }
                  return method.invoke(inner, args);
                } catch (InvocationTargetException e) {
                  throw e.getCause();
                } finally {
                  if (counted) {
                    inFlight.decrementAndGet();
                  }
                }
              });
    };
  }

  private WatchSession.Reporter reporter() {
    return new WatchSession.Reporter() {
      @Override
      public void synced(SyncReport report) {
        watchReports.add(report); // the watch's own output names handed-off rounds too
      }

      @Override
      public void notSynced(List<NotSynced> files) {
        assertThat(files).as("nothing in these tests is left out").isEmpty();
      }

      @Override
      public void connected(long seq) {
        connects.incrementAndGet();
      }

      @Override
      public void problem(String message, long retryMillis) {
        System.out.println("watch: " + message);
      }
    };
  }
}
