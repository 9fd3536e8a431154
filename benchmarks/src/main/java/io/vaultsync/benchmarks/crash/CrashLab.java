package io.vaultsync.benchmarks.crash;

import io.vaultsync.benchmarks.BenchTokens;
import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a kill loop runs: a {@code vaultsync server} in its own JVM on a fixed loopback port (so
 * replicas reach it again after a restart), device tokens, CLI commands in their own JVMs, and an
 * observer in this JVM that logs what the server acknowledged ({@link AckLog}) and reads its head
 * and ledger for the checks. Every process logs to {@code logs/}.
 */
public final class CrashLab implements AutoCloseable {
  static final String VAULT = "notes";

  /** What a finished command printed. */
  public record Done(int exitCode, List<String> lines, Duration took) {
    public String lastLine() {
      return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }
  }

  final Path root;
  final Path data;
  final Path logs;
  final int port;
  final String classpath;
  final AckLog acks = new AckLog();
  private final Map<String, String> tokens = new LinkedHashMap<>();
  private CliProcess server;
  private GrpcVaultTransport observer;
  private int serverStarts;
  private int commands;

  /** A lab in {@code root} with a token for each of {@code devices} (and the observer). */
  CrashLab(Path root, String classpath, List<String> devices) throws IOException {
    this.root = root;
    this.data = root.resolve("server-data");
    this.logs = root.resolve("logs");
    this.classpath = classpath;
    this.port = freePort();
    Files.createDirectories(logs);
    List<String> all = new ArrayList<>(devices);
    all.add("observer");
    tokens.putAll(BenchTokens.create(data, all));
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  String url() {
    return "http://127.0.0.1:" + port;
  }

  String token(String device) {
    return tokens.get(device);
  }

  /**
   * Starts the server (again) and waits until it serves; follows its feed once the vault exists.
   */
  void startServer() throws IOException, InterruptedException {
    int n = ++serverStarts;
    server =
        CliProcess.start(
            "server-" + n,
            List.of(),
            classpath,
            CliProcess.serverArgs(data, "127.0.0.1:" + port),
            logs.resolve("server-" + n + ".log"));
    server.awaitLine(l -> l.contains(" on 127.0.0.1:" + port + " ("), Duration.ofMinutes(2));
    observer =
        GrpcVaultTransport.connect(
            "127.0.0.1:" + port,
            tokens.get("observer"),
            ChannelSecurity.loopbackPlaintext(),
            GrpcClientOptions.DEFAULTS);
  }

  /** Follows the vault's change feed (the vault must exist). */
  void observe() throws IOException {
    acks.follow(observer, VAULT);
  }

  /** kill -9 of the server. */
  void killServer() throws IOException, InterruptedException {
    closeObserver();
    server.kill();
  }

  boolean serverAlive() {
    return server != null && server.isAlive();
  }

  private void closeObserver() throws IOException {
    acks.stop();
    if (observer != null) {
      observer.close();
      observer = null;
    }
  }

  /** Starts a CLI command in its own JVM. */
  CliProcess start(String name, String... args) throws IOException {
    int n = ++commands;
    return CliProcess.start(
        name, List.of(), classpath, List.of(args), logs.resolve(n + "-" + name + ".log"));
  }

  /** Runs a CLI command to its end (at most {@code timeout}, else it is killed and this throws). */
  Done run(String name, Duration timeout, String... args) throws IOException, InterruptedException {
    long start = System.nanoTime();
    CliProcess p = start(name, args);
    return finish(p, timeout, start);
  }

  /**
   * Waits for {@code p} to end by itself within {@code timeout}; if it does not, kills it and
   * answers exit code -1 (a hang).
   */
  public static Done finish(CliProcess p, Duration timeout, long startNanos)
      throws IOException, InterruptedException {
    int code = p.waitFor(timeout);
    if (code == -1) {
      p.kill();
      List<String> lines = new ArrayList<>(p.lines());
      lines.add("(killed: still running after " + timeout + ")");
      return new Done(-1, lines, Duration.ofNanos(System.nanoTime() - startNanos));
    }
    p.close(); // joins the output reader
    return new Done(code, p.lines(), Duration.ofNanos(System.nanoTime() - startNanos));
  }

  /**
   * Waits until a vaultsync temporary file ({@code .vstmp-*}) shows in {@code dir} or a folder
   * below it other than the state folder (a download being written), or {@code p} ends, or {@code
   * max} passes; whether one showed.
   */
  static boolean awaitTempFile(Path dir, CliProcess p, Duration max)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + max.toNanos();
    while (p.isAlive() && System.nanoTime() < end) {
      if (hasTempFile(dir, 3) || hasTempFile(dir.resolve(FolderState.STATE_TEMP), 1)) {
        return true;
      }
      Thread.sleep(2);
    }
    return false;
  }

  /**
   * Whether {@code dir} or a folder up to {@code depth - 1} levels below holds a temporary file.
   */
  static boolean hasTempFile(Path dir, int depth) throws IOException {
    if (!Files.isDirectory(dir)) {
      return false;
    }
    try (var s = Files.newDirectoryStream(dir)) {
      for (Path p : s) {
        String name = p.getFileName().toString();
        if (name.startsWith(FolderState.TEMP_PREFIX)) {
          return true;
        }
        if (depth > 1
            && !name.equals(FolderState.STATE_FOLDER)
            && Files.isDirectory(p)
            && hasTempFile(p, depth - 1)) {
          return true;
        }
      }
    } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
      return false; // changed while listing
    }
    return false;
  }

  /** The server's pack folder, where a commit or push stages its content in a temporary pack. */
  Path packs() {
    return data.resolve("store").resolve("packs");
  }

  /** The server's head: path to hash. */
  Map<String, ContentHash> head() throws IOException {
    Map<String, ContentHash> out = new TreeMap<>();
    observer.manifest(VAULT).entries().forEach(e -> out.put(e.path().value(), e.hash()));
    return out;
  }

  /** The whole ledger, in seq order. */
  List<Change> ledger() throws IOException {
    return ledger(observer, VAULT);
  }

  /** The whole ledger of {@code vault} as {@code remote} reads it, in seq order. */
  public static List<Change> ledger(SyncProtocol remote, String vault) throws IOException {
    List<Change> out = new ArrayList<>();
    long after = 0;
    while (true) {
      ChangePage page = remote.changesSince(vault, after, 10_000);
      out.addAll(page.changes());
      if (page.changes().isEmpty() || after >= page.headSeq()) {
        return out;
      }
      after = page.changes().get(page.changes().size() - 1).seq();
      if (after >= page.headSeq()) {
        return out;
      }
    }
  }

  /** The server's master folder of the vault. */
  Path masterFolder() {
    return ServerData.vaultsRoot(data).resolve(VAULT);
  }

  @Override
  public void close() throws IOException {
    closeObserver();
    if (server != null) {
      server.close();
    }
  }
}
