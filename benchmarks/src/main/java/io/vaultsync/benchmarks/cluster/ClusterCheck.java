package io.vaultsync.benchmarks.cluster;

import io.vaultsync.benchmarks.crash.CrashLab;
import io.vaultsync.benchmarks.crash.CrashLab.Done;
import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The driver of {@code benchmarks/cluster-check.sh}: vaultsync servers on a shared PostgreSQL and
 * S3 bucket behind haproxy (started by the script), 6 devices (init, clones, syncs and two live
 * watches, with moves, deletes and conflicts) through haproxy, a kill -9 of a random server while
 * uploads run in each of the first rounds (restarted at once), then the audits of {@link
 * ClusterAudit} and {@link FeedWatch}. Progress goes to standard error; the last line of standard
 * output is one JSON object, and the exit code is 0 only if every count is clean.
 *
 * <p>Over 400 lines: the run's phases in order (set-up, rounds with kills, the final syncs, the
 * audits, the JSON line) read best as one script; the devices, the server fleet, the audits and the
 * feed watch are classes of their own.
 */
@Command(
    name = "cluster-check",
    mixinStandardHelpOptions = true,
    description = "kill -9 servers of a local cluster during uploads; checks nothing is lost.")
public final class ClusterCheck implements Callable<Integer> {
  static final String VAULT = "notes";

  @Mixin ClusterOptions options;

  @Option(names = "--clients", description = "Devices (default ${DEFAULT-VALUE}; 2 of them watch).")
  int clients = 6;

  @Option(names = "--rounds", description = "Rounds of changes (default ${DEFAULT-VALUE}).")
  int rounds = 8;

  @Option(
      names = "--kills",
      description = "Rounds with a kill -9 of a server during uploads (default ${DEFAULT-VALUE}).")
  int kills = 6;

  @Option(names = "--notes", description = "Notes in the first vault (default ${DEFAULT-VALUE}).")
  int notes = 40;

  @Option(names = "--seed", description = "Seed (default ${DEFAULT-VALUE}).")
  long seed = 20261207L;

  private final PrintStream log = System.err;
  private final List<String> failures = new ArrayList<>();

  public static void main(String[] args) {
    System.exit(new CommandLine(new ClusterCheck()).execute(args));
  }

  /** The result line's counts. */
  record Result(
      int servers,
      int clients,
      int kills,
      long acked,
      long ackedLost,
      long seqGaps,
      long missingObjects,
      boolean converged,
      long duplicateOrMissedFeed,
      long seconds) {
    String json() {
      return String.format(
          "{\"servers\":%d,\"clients\":%d,\"kills\":%d,\"acked\":%d,\"acked_lost\":%d,"
              + "\"seq_gaps\":%d,\"missing_objects\":%d,\"converged\":%s,"
              + "\"duplicate_or_missed_feed\":%d,\"seconds\":%d}",
          servers,
          clients,
          kills,
          acked,
          ackedLost,
          seqGaps,
          missingObjects,
          converged,
          duplicateOrMissedFeed,
          seconds);
    }

    boolean clean(int minKills) {
      return kills >= minKills
          && ackedLost == 0
          && seqGaps == 0
          && missingObjects == 0
          && converged
          && duplicateOrMissedFeed == 0;
    }
  }

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    if (options.grpcPorts.isEmpty() || options.grpcPorts.size() != options.httpPorts.size()) {
      throw new CommandLine.ParameterException(
          new CommandLine(this), "--grpc-ports and --http-ports: one of each per server");
    }
    log.println("cluster-check: " + options.describe());
    Random random = new Random(seed);
    ExecutorService pool = Executors.newCachedThreadPool();
    List<FeedWatch> feeds = new ArrayList<>();
    List<ClusterClient> devices = new ArrayList<>();
    try (ServerFleet fleet = new ServerFleet(options)) {
      Map<String, String> tokens = startWithTokens(fleet);
      ClusterLab lab = new ClusterLab(options.work, options.classpath, options.clientUrl());
      for (int i = 1; i <= clients; i++) {
        String d = "c" + i;
        devices.add(new ClusterClient(lab, d, tokens.get(d), i > clients - 2, seed * 31 + i));
      }
      setUp(devices, pool);
      for (int i = 0; i < fleet.size(); i++) {
        FeedWatch f = new FeedWatch(fleet.target(i), tokens.get("feed-" + (i + 1)), VAULT);
        f.follow();
        feeds.add(f);
      }
      for (ClusterClient c : devices) {
        if (c.watcher) {
          c.startWatch();
        }
      }
      int killed = rounds(fleet, devices, feeds, tokens, random, pool);
      for (ClusterClient c : devices) {
        if (c.watcher) {
          c.stopWatch();
        }
      }
      for (int pass = 1; pass <= 2; pass++) { // the second pass brings every replica to the head
        for (ClusterClient c : devices) {
          expectSuccess(c.device + " final sync " + pass, c.syncUntilDone(null, 4));
        }
      }
      Result r = audit(fleet, lab, tokens, devices, feeds, killed, start);
      failures.forEach(f -> log.println("FAILED " + f));
      System.out.println(r.json());
      return r.clean(Math.min(5, kills)) && failures.isEmpty() ? 0 : 1;
    } finally {
      feeds.forEach(FeedWatch::close);
      for (ClusterClient c : devices) {
        c.stopWatch();
      }
      pool.shutdownNow();
    }
  }

  /** Starts the servers with a token for each device and each feed watch. */
  private Map<String, String> startWithTokens(ServerFleet fleet)
      throws IOException, InterruptedException {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= clients; i++) {
      names.add("c" + i);
    }
    for (int i = 1; i <= fleet.size(); i++) {
      names.add("feed-" + i);
    }
    names.add("fresh");
    Map<String, String> tokens;
    if (options.clustered()) {
      fleet.start(0); // migrates the new database
      tokens = fleet.tokens(names);
      for (int i = 1; i < fleet.size(); i++) {
        fleet.start(i);
      }
    } else {
      tokens = fleet.tokens(names);
      fleet.startAll();
    }
    awaitRoutable(tokens.get("fresh"));
    log.println("cluster-check: " + fleet.size() + " servers up");
    return tokens;
  }

  /**
   * Waits (up to a minute) until a call through haproxy reaches a server: haproxy sends nothing to
   * a server until its health checks passed.
   */
  private void awaitRoutable(String token) throws IOException, InterruptedException {
    String target = options.clientUrl().substring("http://".length());
    long end = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    try (GrpcVaultTransport t =
        GrpcVaultTransport.connect(
            target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS)) {
      while (true) {
        try {
          t.listVaults();
          return;
        } catch (RemoteUnavailableException e) {
          if (System.nanoTime() > end) {
            throw new IOException("nothing answers through " + target + " after a minute", e);
          }
          Thread.sleep(200);
        }
      }
    }
  }

  /** c1 uploads the first vault; the others clone it, through haproxy. */
  private void setUp(List<ClusterClient> devices, ExecutorService pool) throws Exception {
    expectSuccess("c1 init", devices.get(0).init(VAULT, notes));
    List<Future<Done>> clones = new ArrayList<>();
    for (ClusterClient c : devices.subList(1, devices.size())) {
      clones.add(pool.submit(() -> c.cloneVault(VAULT)));
    }
    for (int i = 0; i < clones.size(); i++) {
      expectSuccess(devices.get(i + 1).device + " clone", clones.get(i).get());
    }
    devices.forEach(ClusterClient::recordAcks);
    log.println("cluster-check: " + devices.size() + " devices set up");
  }

  /** The rounds of changes, with a kill in each of the first {@code kills}; kills that landed. */
  private int rounds(
      ServerFleet fleet,
      List<ClusterClient> devices,
      List<FeedWatch> feeds,
      Map<String, String> tokens,
      Random random,
      ExecutorService pool)
      throws Exception {
    long typicalMillis = 3000;
    int killed = 0;
    for (int round = 1; round <= rounds; round++) {
      for (int i = 0; i < devices.size(); i++) {
        devices.get(i).change(round, i == round % devices.size() || i == 0 && round % 2 == 1);
      }
      long roundStart = System.nanoTime();
      List<CliProcess> syncs = new ArrayList<>();
      List<ClusterClient> syncing = new ArrayList<>();
      for (ClusterClient c : devices) {
        if (!c.watcher) {
          syncs.add(c.startSync());
          syncing.add(c);
        }
      }
      Future<?> restart = null;
      String killNote = "";
      if (round <= kills) {
        // within the shortest sync of the last round: while uploads run
        Thread.sleep((long) (typicalMillis * (0.2 + 0.5 * random.nextDouble())));
        int victim = random.nextInt(fleet.size());
        boolean uploading = syncs.stream().anyMatch(CliProcess::isAlive);
        fleet.kill(victim);
        if (uploading) {
          killed++;
        }
        killNote =
            ", server "
                + (victim + 1)
                + " killed after "
                + Duration.ofNanos(System.nanoTime() - roundStart).toMillis()
                + " ms"
                + (uploading ? " during uploads" : " (no sync was running)");
        restart = pool.submit(() -> restart(fleet, victim));
      }
      List<Future<Done>> done = new ArrayList<>();
      for (int i = 0; i < syncs.size(); i++) {
        ClusterClient c = syncing.get(i);
        CliProcess p = syncs.get(i);
        done.add(pool.submit(() -> c.syncUntilDone(p, 8)));
      }
      List<Long> took = new ArrayList<>();
      for (int i = 0; i < done.size(); i++) {
        Done d = done.get(i).get();
        expectSuccess(syncing.get(i).device + " round " + round, d);
        took.add(d.took().toMillis());
      }
      if (restart != null) {
        restart.get();
        awaitRoutable(tokens.get("fresh"));
      }
      for (FeedWatch f : feeds) {
        f.follow(); // again, where its server was killed
      }
      took.sort(null);
      typicalMillis = Math.min(8000, Math.max(1000, took.get(0)));
      log.printf(
          "cluster-check: round %d done in %d ms%s%n",
          round, Duration.ofNanos(System.nanoTime() - roundStart).toMillis(), killNote);
    }
    return killed;
  }

  private Object restart(ServerFleet fleet, int victim) throws IOException, InterruptedException {
    fleet.start(victim);
    return null;
  }

  private void expectSuccess(String what, Done d) {
    if (d == null || d.exitCode() != 0) {
      failures.add(
          what
              + " exited "
              + (d == null ? "?" : d.exitCode())
              + ": "
              + (d == null ? "" : d.lastLine()));
    }
  }

  /** The audits, once everything is quiet. */
  private Result audit(
      ServerFleet fleet,
      ClusterLab lab,
      Map<String, String> tokens,
      List<ClusterClient> devices,
      List<FeedWatch> feeds,
      int killed,
      long start)
      throws Exception {
    List<GrpcVaultTransport> direct = new ArrayList<>();
    try {
      for (int i = 0; i < fleet.size(); i++) {
        direct.add(
            GrpcVaultTransport.connect(
                fleet.target(i),
                tokens.get("feed-" + (i + 1)),
                ChannelSecurity.loopbackPlaintext(),
                GrpcClientOptions.DEFAULTS));
      }
      GrpcVaultTransport first = direct.get(0);
      VaultRoot head = first.root(VAULT);
      boolean converged = true;
      for (int i = 1; i < direct.size(); i++) {
        VaultRoot other = direct.get(i).root(VAULT);
        if (!other.equals(head)) {
          converged = false;
          log.println("server " + (i + 1) + "'s head " + other + " is not server 1's " + head);
        }
      }
      for (ClusterClient c : devices) {
        if (!ClusterAudit.rootOf(c.dir).equals(head.root())) {
          converged = false;
          log.println(c.device + "'s folder differs from the head (seq " + head.seq() + ")");
        }
      }
      Done fresh =
          lab.run(
              "fresh",
              1,
              "clone",
              options.clientUrl(),
              VAULT,
              lab.root().resolve("fresh").toString(),
              "--token",
              tokens.get("fresh"),
              "--device",
              "fresh");
      if (fresh.exitCode() != 0
          || !ClusterAudit.rootOf(lab.root().resolve("fresh")).equals(head.root())) {
        converged = false;
        log.println(
            "a fresh clone through haproxy: exit " + fresh.exitCode() + " " + fresh.lastLine());
      }
      long feedProblems = 0;
      for (FeedWatch f : feeds) {
        f.follow();
        f.awaitSeq(head.seq(), 30_000);
        long p = f.problems(head.seq());
        if (p > 0) {
          log.println(f + ": " + p + " seqs delivered twice, out of order or not at all");
        }
        feedProblems += p;
      }
      List<Change> ledger = CrashLab.ledger(first, VAULT);
      long gaps;
      try {
        gaps = ClusterAudit.seqGaps(options.jdbcUrl(), log::println);
      } catch (SQLException e) {
        log.println("cannot read the ledger table over JDBC (" + e.getMessage() + ")");
        gaps = -1;
      }
      Set<String> versions = new HashSet<>();
      devices.forEach(c -> versions.addAll(c.acked()));
      ClusterAudit.Acks acks =
          ClusterAudit.acks(
              ledger, feeds.stream().map(FeedWatch::changes).toList(), versions, log::println);
      long missing = ClusterAudit.missingObjects(first, VAULT, ledger, log::println);
      log.printf(
          "cluster-check: head seq %d, %d files; %d ledger entries; feeds resubscribed %s times%n",
          head.seq(),
          head.files(),
          ledger.size(),
          feeds.stream().map(f -> String.valueOf(f.subscriptions())).toList());
      return new Result(
          fleet.size(),
          devices.size(),
          killed,
          acks.acked(),
          acks.lost(),
          gaps < 0 ? 1 : gaps,
          missing,
          converged,
          feedProblems,
          Duration.ofNanos(System.nanoTime() - start).toSeconds());
    } finally {
      for (GrpcVaultTransport t : direct) {
        t.close();
      }
    }
  }
}
