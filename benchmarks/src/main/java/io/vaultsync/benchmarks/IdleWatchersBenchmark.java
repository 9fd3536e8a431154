package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.benchmarks.live.JvmProbe;
import io.vaultsync.benchmarks.live.LatencySummary;
import io.vaultsync.benchmarks.live.RecordingListener;
import io.vaultsync.core.Deltas;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 4's watcher count: one server, in its own JVM with {@code -Xmx512m}, holds {@code
 * --watchers} idle change-feed subscriptions, each on its own gRPC connection from this JVM ({@link
 * GrpcVaultTransport#connect} per subscriber; they share Netty's default event loops and gRPC's
 * callback threads), and fans each change out to all of them.
 *
 * <p>Reports the server's heap after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}), its
 * resident memory and thread count, before and with the watchers; then {@code --rounds} single
 * changes, each committed by a separate client, with per-round delivery times over subscribers
 * (from the commit's return and from just before the call); then a burst of {@code --burst} commits
 * in a row that every subscriber must receive in order, without a gap or a repeat.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.IdleWatchersBenchmark [options]
 * </pre>
 *
 * <p>Over 400 lines: one benchmark runner (the server process, 1,000 subscriptions, memory probes,
 * fan-out timing) and its report.
 */
@Command(
    name = "IdleWatchersBenchmark",
    mixinStandardHelpOptions = true,
    description = "Many idle change-feed subscribers on one server; fan-out time and memory.")
public final class IdleWatchersBenchmark implements Callable<Integer> {
  @Option(names = "--watchers", description = "Subscriptions (${DEFAULT-VALUE}).")
  int watchers = 1000;

  @Option(names = "--rounds", description = "Single-change fan-outs measured (${DEFAULT-VALUE}).")
  int rounds = 10;

  @Option(names = "--warmup", description = "Unmeasured fan-outs first (${DEFAULT-VALUE}).")
  int warmup = 5;

  @Option(names = "--burst", description = "Changes committed in a row (${DEFAULT-VALUE}).")
  int burst = 100;

  @Option(names = "--xmx", description = "The server JVM's -Xmx (${DEFAULT-VALUE}).")
  String xmx = "512m";

  @Option(
      names = "--settle-seconds",
      description =
          "Idle time after subscribing before measuring, so the server's cached thread pools drop"
              + " the threads the connects used (they keep idle threads 60 s) (${DEFAULT-VALUE}).")
  int settleSeconds = 65;

  @Option(names = "--histogram", description = "Print the server's top classes by heap bytes.")
  boolean histogram;

  @Option(names = "--work", description = "Work folder (default: a new temporary one, removed).")
  Path work;

  @Option(
      names = "--classpath",
      description = "Class path of the server process (default: this JVM's).")
  String classpath = System.getProperty("java.class.path");

  /** Fan-out of one change: per-subscriber delivery times, from before and after the commit. */
  public record FanOut(long commitNanos, long[] sinceReturnNanos, long[] sinceCallNanos) {
    public long maxSinceReturn() {
      return Arrays.stream(sinceReturnNanos).max().orElse(0);
    }
  }

  /** What the benchmark measured. */
  public record Result(
      int watchers,
      long commitNanosAlone,
      JvmProbe.Snapshot before,
      JvmProbe.Snapshot idle,
      JvmProbe.Snapshot after,
      long connectNanos,
      List<FanOut> fanOuts,
      long burstNanos,
      List<String> problems) {}

  private static final Pattern PORT = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+) \\(");
  private static final String VAULT = "watched";

  public static void main(String[] args) {
    System.exit(new CommandLine(new IdleWatchersBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    return measure(System.out).problems().isEmpty() ? 0 : 1;
  }

  /** Runs the benchmark, printing progress and the report to {@code out}. */
  public Result measure(PrintStream out) throws IOException, InterruptedException {
    if (watchers < 1 || rounds < 1 || warmup < 0 || burst < 1) {
      throw new IllegalArgumentException(
          "--watchers "
              + watchers
              + " --rounds "
              + rounds
              + " --warmup "
              + warmup
              + " --burst "
              + burst
              + "; expected watchers, rounds, burst >= 1 and warmup >= 0");
    }
    return WorkDir.use(work, "vaultsync-idle-watchers", dir -> measure(dir, out));
  }

  private Result measure(Path dir, PrintStream out) throws IOException, InterruptedException {
    Path data = dir.resolve("server");
    Map<String, String> tokens = BenchTokens.create(data, List.of("watchers", "writer"));
    String watcherToken = tokens.get("watchers");
    String writerToken = tokens.get("writer");
    List<String> problems = new ArrayList<>();
    try (CliProcess server =
        CliProcess.start(
            "server",
            List.of("-Xmx" + xmx),
            classpath,
            List.of("server", "--data", data.toString(), "--listen", "127.0.0.1:0"),
            dir.resolve("server.log"))) {
      Matcher m =
          PORT.matcher(server.awaitLine(l -> PORT.matcher(l).find(), Duration.ofSeconds(60)));
      if (!m.find()) {
        throw new IllegalStateException("no port in the server's start line");
      }
      String target = "127.0.0.1:" + m.group(1);
      out.printf(Locale.ROOT, "server pid %d on %s, -Xmx%s%n", server.pid(), target, xmx);
      try (GrpcVaultTransport writer = connect(target, writerToken)) {
        writer.createVault(VAULT);
        long[] commits = new long[warmup + rounds];
        for (int i = 0; i < commits.length; i++) {
          long t0 = System.nanoTime();
          put(writer, "Seed/note " + i + ".md", "# note " + i + "\n\nseed content\n");
          commits[i] = System.nanoTime() - t0;
        }
        Arrays.sort(commits);
        long alone = LatencySummary.rank(commits, 50);
        out.printf(
            Locale.ROOT,
            "one commit with no watchers: median %.1f ms of %d%n",
            alone / 1e6,
            commits.length);
        JvmProbe.Snapshot before = JvmProbe.look(server.pid(), true);
        out.println("server, no watchers: " + before);
        return withWatchers(server, writer, target, watcherToken, alone, before, problems, out);
      }
    }
  }

  private Result withWatchers(
      CliProcess server,
      GrpcVaultTransport writer,
      String target,
      String token,
      long alone,
      JvmProbe.Snapshot before,
      List<String> problems,
      PrintStream out)
      throws IOException, InterruptedException {
    long head = writer.changesSince(VAULT, 0, 1).headSeq();
    int capacity = warmup + rounds + burst + 1;
    RecordingListener.Barrier barrier = new RecordingListener.Barrier();
    List<GrpcVaultTransport> transports = new ArrayList<>(watchers);
    List<Subscription> subscriptions = new ArrayList<>(watchers);
    List<RecordingListener> listeners = new ArrayList<>(watchers);
    try {
      long t0 = System.nanoTime();
      for (int i = 0; i < watchers; i++) {
        GrpcVaultTransport t = connect(target, token);
        transports.add(t);
        RecordingListener l = new RecordingListener(head, capacity, barrier);
        listeners.add(l);
        subscriptions.add(t.subscribe(VAULT, head, l));
      }
      // A subscriber that is not registered yet still gets the change from its backlog, so the
      // first change reaching everyone proves all subscriptions are live.
      long seq = head;
      long connect = 0;
      for (int w = 0; w < warmup + 1; w++) {
        seq = fanOut(writer, barrier, ++seq, "warm-up " + w, problems).seq;
        if (w == 0) {
          connect = System.nanoTime() - t0;
          out.printf(
              Locale.ROOT,
              "%d watchers connected and subscribed (first change delivered to all) in %.1f s%n",
              watchers,
              connect / 1e9);
        }
        if (!problems.isEmpty()) {
          return new Result(watchers, alone, before, null, null, connect, List.of(), 0, problems);
        }
      }
      if (settleSeconds > 0) {
        out.printf(Locale.ROOT, "idle for %d s%n", settleSeconds);
        Thread.sleep(settleSeconds * 1000L);
      }
      JvmProbe.Snapshot idle = JvmProbe.look(server.pid(), true);
      out.println("server, " + watchers + " idle watchers: " + idle);
      if (histogram) {
        JvmProbe.histogram(server.pid(), 15).forEach(out::println);
      }
      List<FanOut> fanOuts = new ArrayList<>();
      for (int r = 0; r < rounds && problems.isEmpty(); r++) {
        Thread.sleep(200); // idle between changes, as watchers mostly are
        Committed c = fanOut(writer, barrier, ++seq, "round " + r, problems);
        long[] sinceReturn = new long[listeners.size()];
        long[] sinceCall = new long[listeners.size()];
        for (int i = 0; i < listeners.size(); i++) {
          long at = listeners.get(i).arrival(seq);
          sinceReturn[i] = at - c.returned;
          sinceCall[i] = at - c.called;
        }
        fanOuts.add(new FanOut(c.returned - c.called, sinceReturn, sinceCall));
      }
      long burstNanos = 0;
      if (problems.isEmpty()) {
        long first = seq + 1;
        long last = seq + burst;
        barrier.arm(last, watchers);
        long b0 = System.nanoTime();
        for (long s = first; s <= last; s++) {
          put(writer, "Burst/change " + s + ".md", "burst change " + s + "\n");
        }
        if (!barrier.await(120_000)) {
          problems.add(barrier.missing() + " watchers did not get the whole burst within 120 s");
        }
        long lastArrival = 0;
        for (RecordingListener l : listeners) {
          lastArrival = Math.max(lastArrival, l.arrival(last));
        }
        burstNanos = lastArrival - b0;
        seq = last;
      }
      for (int i = 0; i < listeners.size(); i++) {
        String p = listeners.get(i).problem();
        if (p != null) {
          problems.add("watcher " + i + ": " + p);
        }
      }
      JvmProbe.Snapshot after = JvmProbe.look(server.pid(), false);
      out.println("server, after the fan-outs (no GC): " + after);
      Result result =
          new Result(watchers, alone, before, idle, after, connect, fanOuts, burstNanos, problems);
      report(result, out);
      return result;
    } finally {
      subscriptions.forEach(Subscription::close);
      for (GrpcVaultTransport t : transports) {
        t.close();
      }
    }
  }

  private record Committed(long seq, long called, long returned) {}

  private Committed fanOut(
      GrpcVaultTransport writer,
      RecordingListener.Barrier barrier,
      long seq,
      String what,
      List<String> problems)
      throws IOException, InterruptedException {
    barrier.arm(seq, watchers);
    long called = System.nanoTime();
    long got = put(writer, "Fan-out/" + what + ".md", "change " + seq + "\n");
    long returned = System.nanoTime();
    if (got != seq) {
      problems.add(what + ": the commit got seq " + got + ", expected " + seq);
    } else if (!barrier.await(120_000)) {
      problems.add(what + ": " + barrier.missing() + " watchers did not get seq " + seq);
    }
    return new Committed(got, called, returned);
  }

  /** Commits a new note through {@code writer}; its seq. */
  private static long put(GrpcVaultTransport writer, String path, String content)
      throws IOException {
    ByteArrayOutputStream delta = new ByteArrayOutputStream();
    try (InputStream in = new ByteArrayInputStream(content.getBytes(StandardCharsets.UTF_8))) {
      Deltas.delta(
          Deltas.signature(InputStream.nullInputStream(), SignatureParams.forBasisLength(0)),
          in,
          delta);
    }
    List<Outcome> o =
        writer.commit(
            VAULT,
            List.of(new Mutation.Put(NotePath.of(path), null, delta.toByteArray())),
            "writer");
    return ((Outcome.Applied) o.get(0)).change().seq();
  }

  private static GrpcVaultTransport connect(String target, String token) throws IOException {
    return GrpcVaultTransport.connect(
        target, token, ChannelSecurity.loopbackPlaintext(), GrpcClientOptions.DEFAULTS);
  }

  private void report(Result r, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "%d idle watchers, one gRPC connection each, server -Xmx%s, %s, %d CPUs, %s%n",
        r.watchers(),
        xmx,
        Instant.now().toString().substring(0, 10),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"));
    out.println();
    out.println("| server | heap used after full GC | RSS | threads |");
    out.println("|---|---:|---:|---:|");
    row(out, "no watchers", r.before());
    row(out, r.watchers() + " idle watchers", r.idle());
    row(out, "after the fan-outs (heap: no GC)", r.after());
    out.println();
    if (!r.fanOuts().isEmpty()) {
      out.println(
          "Fan-out of one change to every watcher; times in ms from just before the commit call"
              + " (the last column: from its return).");
      out.println();
      out.println(
          "| round | commit call | p50 | p99 | max | max from return |\n"
              + "|---|---:|---:|---:|---:|---:|");
      int n = r.fanOuts().size();
      long[] maxes = new long[n];
      long[] maxesFromReturn = new long[n];
      long[] p50s = new long[n];
      long[] p99s = new long[n];
      long[] commits = new long[n];
      for (int i = 0; i < n; i++) {
        FanOut f = r.fanOuts().get(i);
        long[] s = f.sinceCallNanos().clone();
        Arrays.sort(s);
        p50s[i] = LatencySummary.rank(s, 50);
        p99s[i] = LatencySummary.rank(s, 99);
        maxes[i] = s[s.length - 1];
        maxesFromReturn[i] = f.maxSinceReturn();
        commits[i] = f.commitNanos();
        out.printf(
            Locale.ROOT,
            "| %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
            i,
            commits[i] / 1e6,
            p50s[i] / 1e6,
            p99s[i] / 1e6,
            maxes[i] / 1e6,
            maxesFromReturn[i] / 1e6);
      }
      out.printf(
          Locale.ROOT,
          "| median of %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
          n,
          median(commits) / 1e6,
          median(p50s) / 1e6,
          median(p99s) / 1e6,
          median(maxes) / 1e6,
          median(maxesFromReturn) / 1e6);
      out.println();
      out.printf(
          Locale.ROOT, "one commit with no watchers: median %.1f ms%n", r.commitNanosAlone() / 1e6);
    }
    if (r.burstNanos() > 0) {
      out.printf(
          Locale.ROOT,
          "burst: %d commits in a row, all delivered to all %d watchers in order in %.1f ms%n",
          burst,
          r.watchers(),
          r.burstNanos() / 1e6);
    }
    out.println(
        r.problems().isEmpty()
            ? "every watcher got every change once, in order"
            : "PROBLEMS: " + r.problems());
  }

  private static long median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return LatencySummary.rank(s, 50);
  }

  private static void row(PrintStream out, String what, JvmProbe.Snapshot s) {
    if (s != null) {
      out.printf(
          Locale.ROOT,
          "| %s | %.1f MiB | %.1f MiB | %d |%n",
          what,
          s.heapUsedBytes() / 1048576.0,
          s.rssBytes() / 1048576.0,
          s.threads());
    }
  }
}
