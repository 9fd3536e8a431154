package io.vaultsync.benchmarks.cluster;

import io.vaultsync.benchmarks.BenchTokens;
import io.vaultsync.benchmarks.live.CliProcess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster's vaultsync servers, each in its own JVM on its fixed ports ({@link ClusterOptions}),
 * so that haproxy and the clients find a restarted one again. Each running server's pid is in
 * {@code WORK/pids/server-N.pid}, which cluster-lib.sh's cleanup stops should this JVM die first.
 */
final class ServerFleet implements AutoCloseable {
  /** What {@code vaultsync server token create} prints: a URL-safe base64 token. */
  private static final java.util.regex.Pattern TOKEN =
      java.util.regex.Pattern.compile("[A-Za-z0-9_-]{20,}");

  private final ClusterOptions options;
  private final Path logs;
  private final Path pids;
  private final CliProcess[] servers;
  private final int[] starts;

  ServerFleet(ClusterOptions options) throws IOException {
    this.options = options;
    this.logs = options.work.resolve("logs");
    this.pids = options.work.resolve("pids");
    this.servers = new CliProcess[options.servers()];
    this.starts = new int[options.servers()];
    Files.createDirectories(logs);
    Files.createDirectories(pids);
  }

  int size() {
    return servers.length;
  }

  /** Starts server {@code i} (from 0) and waits (up to 2 minutes) until it serves. */
  synchronized void start(int i) throws IOException, InterruptedException {
    int n = ++starts[i];
    String name = "server-" + (i + 1) + "-" + n;
    CliProcess p =
        CliProcess.start(
            name, List.of(), options.classpath, options.serverArgs(i), logs.resolve(name + ".log"));
    servers[i] = p;
    Files.writeString(pidFile(i), Long.toString(p.pid()), StandardCharsets.UTF_8);
    String port = " on 127.0.0.1:" + options.grpcPorts.get(i) + " (";
    p.awaitLine(l -> l.contains(port), Duration.ofMinutes(2));
  }

  /** Starts every server, one after the other (the first one migrates a new database). */
  void startAll() throws IOException, InterruptedException {
    for (int i = 0; i < servers.length; i++) {
      start(i);
    }
  }

  /** kill -9 of server {@code i}. */
  void kill(int i) throws InterruptedException, IOException {
    CliProcess p;
    synchronized (this) {
      p = servers[i];
      servers[i] = null;
    }
    if (p != null) {
      p.kill();
      Files.deleteIfExists(pidFile(i));
    }
  }

  synchronized boolean alive(int i) {
    return servers[i] != null && servers[i].isAlive();
  }

  /** The first server that runs (-1: none). */
  synchronized int anyAlive() {
    for (int i = 0; i < servers.length; i++) {
      if (alive(i)) {
        return i;
      }
    }
    return -1;
  }

  /** {@code 127.0.0.1:PORT} of server {@code i}'s gRPC port. */
  String target(int i) {
    return "127.0.0.1:" + options.grpcPorts.get(i);
  }

  /**
   * A token for each device: written into server 1's data folder before it starts (embedded), or by
   * {@code vaultsync server token create --database URL --name DEVICE} (cluster; after the first
   * server has migrated the database).
   */
  Map<String, String> tokens(List<String> devices) throws IOException, InterruptedException {
    if (!options.clustered()) {
      return BenchTokens.create(options.data(0), devices);
    }
    Map<String, String> tokens = new LinkedHashMap<>();
    for (String d : devices) {
      List<String> args =
          List.of("server", "token", "create", "--database", options.database, "--name", d);
      CliProcess p =
          CliProcess.start(
              "token-" + d,
              List.of(),
              options.classpath,
              args,
              logs.resolve("token-" + d + ".log"));
      int code = p.waitFor(Duration.ofMinutes(2));
      p.close();
      // the token is the one line that is not a log line (they share the output here)
      List<String> found =
          p.lines().stream().map(String::strip).filter(l -> TOKEN.matcher(l).matches()).toList();
      if (code != 0 || found.size() != 1) {
        throw new IOException("token create for " + d + " exited " + code + ": " + p.lines());
      }
      tokens.put(d, found.get(0));
    }
    return tokens;
  }

  private Path pidFile(int i) {
    return pids.resolve("server-" + (i + 1) + ".pid");
  }

  /** Logs of the servers' current runs: the last lines of each, for a report. */
  synchronized List<String> tails() {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < servers.length; i++) {
      if (servers[i] != null) {
        List<String> l = servers[i].lines();
        out.add("server " + (i + 1) + ": " + l.subList(Math.max(0, l.size() - 3), l.size()));
      }
    }
    return out;
  }

  @Override
  public void close() throws IOException {
    for (int i = 0; i < servers.length; i++) {
      CliProcess p;
      synchronized (this) {
        p = servers[i];
        servers[i] = null;
      }
      if (p != null) {
        p.close();
        Files.deleteIfExists(pidFile(i));
      }
    }
  }
}
