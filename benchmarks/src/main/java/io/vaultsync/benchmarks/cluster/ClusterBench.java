package io.vaultsync.benchmarks.cluster;

import io.vaultsync.benchmarks.KeptSections;
import io.vaultsync.benchmarks.MachineInfo;
import io.vaultsync.benchmarks.live.LatencySummary;
import io.vaultsync.core.Deltas;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The cluster benchmark of {@code benchmarks/cluster-bench.sh}, three setups in one run: (a) the
 * embedded server (SQLite, local disk), (b) one server on PostgreSQL + S3, (c) three servers on
 * PostgreSQL + S3 behind haproxy. For each: commits per second ({@code --writers} clients, each
 * committing one new small note per call, for {@code --seconds}; (c) through haproxy), and feed
 * latency (one commit at a time through server 1, from the call to its arrival at a live subscriber
 * of server 2; of server 1 where there is one server). Prints a Markdown table; with {@code --docs}
 * also writes it, the machine and the command into that file's "cluster" section.
 */
@Command(
    name = "cluster-bench",
    mixinStandardHelpOptions = true,
    description =
        "Commits per second and feed latency: embedded, 1 and 3 servers on PostgreSQL + S3.")
public final class ClusterBench implements Callable<Integer> {
  static final String VAULT = "bench";

  /**
   * The 3-server setup (its ports, haproxy, {@code --database} and {@code --objects}), the work
   * folder and what the other setups share with it ({@code --s3-endpoint}, the class path).
   */
  @Mixin ClusterOptions three;

  @Option(names = "--database-one", description = "postgresql://... for the 1-server setup.")
  String databaseOne;

  @Option(names = "--objects-one", description = "s3://BUCKET for the 1-server setup.")
  String objectsOne;

  @Option(names = "--writers", description = "Concurrent writers (default ${DEFAULT-VALUE}).")
  int writers = 4;

  @Option(
      names = "--seconds",
      description = "Seconds of commits per setup (default ${DEFAULT-VALUE}).")
  int seconds = 10;

  @Option(
      names = "--latency-commits",
      description = "Commits timed one at a time for the feed latency (default ${DEFAULT-VALUE}).")
  int latencyCommits = 200;

  @Option(names = "--docs", description = "Markdown file whose \"cluster\" section gets the table.")
  Path docs;

  @Option(names = "--command", description = "The command line to quote in --docs.")
  String command = "benchmarks/cluster-bench.sh";

  @Option(
      names = "--versions",
      description = "Versions of PostgreSQL, s3proxy, haproxy (for --docs).")
  String versions = "";

  private final PrintStream log = System.err;

  /** One setup's figures. */
  record Figures(
      String setup, int servers, double oneVault, double ownVaults, LatencySummary feed) {
    String row() {
      return String.format(
          Locale.ROOT,
          "| %s | %d | %.0f | %.0f | %.1f | %.1f | %.1f |",
          setup,
          servers,
          oneVault,
          ownVaults,
          feed.p50Ms(),
          feed.p99Ms(),
          feed.maxMs());
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new ClusterBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Figures> figures = new ArrayList<>();
    figures.add(
        measure(
            "embedded (SQLite + disk)",
            setup("embedded", null, null, List.of(free()), List.of(free()), 0)));
    if (databaseOne != null) {
      figures.add(
          measure(
              "1 server, PostgreSQL + S3",
              setup("one", databaseOne, objectsOne, List.of(free()), List.of(free()), 0)));
    } else {
      log.println("cluster-bench: no --database-one: the 1-server setup is left out");
    }
    if (three.clustered() && three.servers() >= 2) {
      figures.add(
          measure(
              three.servers() + " servers, PostgreSQL + S3, haproxy",
              setup(
                  "three",
                  three.database,
                  three.objects,
                  three.grpcPorts,
                  three.httpPorts,
                  three.lbGrpc)));
    } else {
      log.println("cluster-bench: no --database and --grpc-ports: the haproxy setup is left out");
    }
    String table = table(figures);
    System.out.print(table);
    if (docs != null) {
      KeptSections.write(docs, "cluster", docsSection(table));
      log.println("cluster-bench: wrote the \"cluster\" section of " + docs);
    }
    return 0;
  }

  private ClusterOptions setup(
      String name,
      String database,
      String objects,
      List<Integer> grpc,
      List<Integer> http,
      int lb) {
    return three.with(three.work.resolve(name), database, objects, grpc, http, lb);
  }

  private static int free() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private Figures measure(String label, ClusterOptions o) throws Exception {
    log.println("cluster-bench: " + label + ": " + o.describe());
    try (ServerFleet fleet = new ServerFleet(o)) {
      List<String> devices = new ArrayList<>(List.of("subscriber"));
      for (int w = 0; w < writers; w++) {
        devices.add("writer-" + w);
      }
      Map<String, String> tokens;
      if (o.clustered()) {
        fleet.start(0);
        tokens = fleet.tokens(devices);
        for (int i = 1; i < fleet.size(); i++) {
          fleet.start(i);
        }
      } else {
        tokens = fleet.tokens(devices);
        fleet.startAll();
      }
      String commitTarget = o.clientUrl().substring("http://".length());
      try (GrpcVaultTransport one = connect(fleet.target(0), tokens.get("writer-0"));
          FeedWatch feed =
              new FeedWatch(
                  fleet.target(fleet.size() > 1 ? 1 : 0), tokens.get("subscriber"), VAULT)) {
        one.createVault(VAULT);
        for (int w = 0; w < writers; w++) {
          one.createVault(VAULT + "-" + w);
        }
        feed.follow();
        double shared = throughput(commitTarget, tokens, false);
        double own = throughput(commitTarget, tokens, true);
        LatencySummary latency = latency(one, feed);
        Figures f = new Figures(label, fleet.size(), shared, own, latency);
        log.println("cluster-bench: " + f.row());
        return f;
      }
    }
  }

  private static GrpcVaultTransport connect(String target, String token) throws IOException {
    return GrpcVaultTransport.connect(
        target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS);
  }

  /** A commit of one new note; its seq. */
  private static long commitNote(GrpcVaultTransport t, String vault, String path, String device)
      throws IOException {
    byte[] text =
        ("# " + path + "\n\n" + "A note written by the cluster benchmark. ".repeat(30))
            .getBytes(StandardCharsets.UTF_8);
    List<Outcome> out =
        t.commit(
            vault,
            List.of(new Mutation.Put(NotePath.of(path), null, Deltas.delta(new byte[0], text))),
            device);
    if (!(out.get(0) instanceof Outcome.Applied a)) {
      throw new IOException("commit of " + path + " was not applied: " + out.get(0));
    }
    return a.change().seq();
  }

  /**
   * Commits per second of {@link #writers} writers (1 s of warm-up, then {@link #seconds}) into one
   * vault, or each into its own ({@code ownVaults}).
   */
  private double throughput(String target, Map<String, String> tokens, boolean ownVaults)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    AtomicLong commits = new AtomicLong();
    long warmEnd = System.nanoTime() + 1_000_000_000L;
    long end = warmEnd + seconds * 1_000_000_000L;
    try {
      List<Future<Void>> done = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String device = "writer-" + w;
        String vault = ownVaults ? VAULT + "-" + w : VAULT;
        done.add(
            pool.submit(
                () -> {
                  try (GrpcVaultTransport t = connect(target, tokens.get(device))) {
                    for (int i = 0; System.nanoTime() < end; i++) {
                      commitNote(
                          t, vault, device + (ownVaults ? "/own" : "/n") + i + ".md", device);
                      if (System.nanoTime() > warmEnd) {
                        commits.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<Void> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    return commits.get() * 1e9 / (end - warmEnd);
  }

  /** Commits one at a time through server 1; time to each one's arrival at the subscriber. */
  private LatencySummary latency(GrpcVaultTransport one, FeedWatch feed) throws Exception {
    long[] nanos = new long[latencyCommits];
    for (int i = 0; i < latencyCommits; i++) {
      long start = System.nanoTime();
      long seq = commitNote(one, VAULT, "latency/n" + i + ".md", "writer-0");
      if (!feed.awaitSeq(seq, 30_000)) {
        throw new IOException("seq " + seq + " did not reach " + feed + " within 30 s");
      }
      nanos[i] = feed.arrivedNanos(seq) - start;
    }
    return LatencySummary.ofNanos(nanos);
  }

  private String table(List<Figures> figures) {
    StringBuilder t = new StringBuilder();
    t.append(
        "| setup | servers | commits/s, "
            + writers
            + " writers, 1 vault | commits/s, "
            + writers
            + " writers, a vault each | feed p50 ms | feed p99 ms | feed max ms |\n");
    t.append("|---|---:|---:|---:|---:|---:|---:|\n");
    for (Figures f : figures) {
      t.append(f.row()).append('\n');
    }
    return t.toString();
  }

  private String docsSection(String table) {
    return "\n## Many servers: commits and feed latency\n\n"
        + "Written by the command below on "
        + Instant.now().truncatedTo(ChronoUnit.SECONDS)
        + " (this section only; the vault benchmark keeps it when it rewrites the file):\n\n"
        + "```\n"
        + command
        + "\n```\n\n"
        + MachineInfo.of(three.work).basicMarkdown()
        + (versions.isEmpty() ? "" : "- " + versions + "\n")
        + "- everything on this one machine, over loopback: the servers, PostgreSQL, s3proxy,"
        + " haproxy and the benchmark's clients share its cores\n\n"
        + table
        + "\n"
        + "- **commits/s**: "
        + writers
        + " writers in the benchmark's JVM, each a gRPC client committing one new ~1.3 KB note"
        + " per call (`commit` with one inline put: ledger rows, head, content), as fast as"
        + " answers come, for "
        + seconds
        + " s after 1 s of warm-up: all into one vault (their commits take turns under the"
        + " vault's lock), then each into a vault of its own; the 3-server setup through haproxy"
        + " (round-robin), the others straight to the server.\n"
        + "- **feed latency**: "
        + latencyCommits
        + " commits one at a time through server 1; from the call to the change's arrival at a"
        + " live subscriber of server 2 (of server 1 with one server), so it includes the"
        + " commit's own round trip.\n";
  }
}
