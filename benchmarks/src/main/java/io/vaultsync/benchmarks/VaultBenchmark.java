package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.live.ArrivalWatch;
import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.benchmarks.live.EditorSave;
import io.vaultsync.benchmarks.live.LatencySummary;
import io.vaultsync.benchmarks.live.WatchClient;
import io.vaultsync.client.watch.WatchOptions;
import io.vaultsync.server.app.ServerData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 6's vault benchmark: a generated vault ({@link GenerateVault}) synced through a real server
 * ({@code vaultsync server} in its own JVM on 127.0.0.1, port 0) by the {@code vaultsync} CLI, each
 * command in its own JVM as a user runs it, and the same with rsync.
 *
 * <p>Each run gets fresh folders and a fresh vault on the server ({@code bench-N}); nothing is
 * deleted while the benchmark runs (on these machines creating many files right after deleting many
 * is several times slower). A run: first upload ({@code init} of A), {@code clone} into B, then a
 * one-line edit in one note, one-line edits in 100 notes, 50 notes renamed or moved, a folder
 * renamed (each: {@code sync} of A, which uploads, then {@code sync} of B, which downloads), a
 * no-op {@code sync} of A, and live propagation: {@code vaultsync watch} on A and on B, one line
 * edited in A, the time until B's file has the new bytes. Per scenario: wall time, bytes on the
 * wire both ways (the client's counters), the clients' CPU time and peak RSS ({@link
 * MeasuredCommand}), and the server's ({@link ServerSide}). The median over runs is reported. At
 * the end of each run A and B must hold the same files.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.VaultBenchmark [--notes 1000] [--runs 5]
 * </pre>
 *
 * <p>Over 400 lines: the scenarios of the vault benchmark, a short method each, and the metering
 * the vaultsync and rsync runs share.
 */
@Command(
    name = "VaultBenchmark",
    mixinStandardHelpOptions = true,
    description = "Time, bytes, CPU and memory of vaultsync and rsync on a generated vault.")
public final class VaultBenchmark implements Callable<Integer> {
  /** The scenarios, in the order a run performs them. */
  public static final List<String> SCENARIOS =
      List.of(
          "first upload (init)",
          "clone",
          "one-line edit, 1 note",
          "one-line edits, 100 notes",
          "rename/move 50 notes",
          "folder rename",
          "no-op sync",
          "live propagation, 1 edit");

  /** The index of the live scenario in {@link #SCENARIOS}. */
  public static final int LIVE = 7;

  static final String VAULTSYNC = "vaultsync";
  static final String RSYNC = "rsync";
  static final String RSYNC_Z = "rsync -z";

  private static final Pattern SENT = Pattern.compile("\"bytesSent\":(\\d+)");
  private static final Pattern RECEIVED = Pattern.compile("\"bytesReceived\":(\\d+)");
  private static final long COMMAND_TIMEOUT_MINUTES = 60;

  @Option(names = "--notes", description = "Notes in the vault (default ${DEFAULT-VALUE}).")
  int notes = 1000;

  @Option(names = "--seed", description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--runs", description = "Runs; medians are reported (default ${DEFAULT-VALUE}).")
  int runs = 5;

  @Option(
      names = "--attachments",
      description = "Binary attachments of 100 KB-5 MB (default ${DEFAULT-VALUE}).")
  int attachments = 0;

  @Option(
      names = "--live-edits",
      description = "Measured edits of the live scenario per run (default ${DEFAULT-VALUE}).")
  int liveEdits = 20;

  @Option(
      names = "--live-warmup",
      description = "Unmeasured edits before them (default ${DEFAULT-VALUE}).")
  int liveWarmup = 5;

  @Option(
      names = "--live-gap-ms",
      description = "Pause after each arrival before the next edit (default ${DEFAULT-VALUE}).")
  long liveGapMillis = 100;

  @Option(
      names = "--work",
      description = "Work folder (default: a temporary folder, removed at the end).")
  Path work;

  @Option(names = "--no-rsync", description = "Leave rsync out even when it is installed.")
  boolean noRsync;

  @Option(names = "--csv", description = "Also write the table as CSV to this file.")
  Path csv;

  @Option(
      names = "--classpath",
      description = "Class path holding the CLI (default: this JVM's).",
      hidden = true)
  String classpath = System.getProperty("java.class.path");

  /**
   * One scenario of one run. {@code nanos} is the wall time of the commands (for the live scenario:
   * the p50 of the run's edits, with {@code p90Nanos} and {@code p99Nanos}; -1 elsewhere); -1 in
   * {@code nanos} means the tool cannot do the scenario (rsync has no watcher).
   */
  public record Sample(
      String scenario,
      long nanos,
      long bytesSent,
      long bytesReceived,
      Usage client,
      Usage server,
      long p90Nanos,
      long p99Nanos) {
    /** A scenario the tool cannot do. */
    static Sample notApplicable(String scenario) {
      return new Sample(scenario, -1, -1, -1, Usage.NONE, Usage.NONE, -1, -1);
    }
  }

  /**
   * The medians of one scenario over the runs; -1 in a field means n/a. Sizes in KiB, times in ns.
   */
  public record Row(
      String scenario,
      int runs,
      long medianNanos,
      long bytesSent,
      long bytesReceived,
      long clientCpuNanos,
      long clientPeakRssKib,
      long serverCpuNanos,
      long serverPeakRssKib,
      long p90Nanos,
      long p99Nanos) {
    /** Bytes both ways, or -1. */
    public long bytes() {
      return bytesSent < 0 || bytesReceived < 0 ? -1 : bytesSent + bytesReceived;
    }

    /** Whether the tool ran this scenario at all. */
    public boolean measured() {
      return medianNanos >= 0;
    }
  }

  /**
   * What a benchmark measured; {@code difference} is null when every run converged.
   *
   * @param notes notes in the vault
   * @param vaultBytes the vault's size
   * @param runs runs per tool
   * @param rows vaultsync's rows
   * @param byTool every tool's rows, vaultsync first
   * @param difference the first difference between A and B, or null
   */
  public record Result(
      int notes,
      long vaultBytes,
      int runs,
      List<Row> rows,
      Map<String, List<Row>> byTool,
      String difference) {
    public Result {
      rows = List.copyOf(rows);
      byTool = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTool));
    }

    public boolean converged() {
      return difference == null;
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new VaultBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Result r = measure(System.out);
    return r.converged() ? 0 : 1;
  }

  /** Runs the benchmark, printing progress and the table to {@code out}. */
  public Result measure(PrintStream out) throws IOException, InterruptedException {
    if (notes < 1 || runs < 1 || attachments < 0 || liveEdits < 1 || liveWarmup < 0) {
      throw new IllegalArgumentException(
          String.format(
              Locale.ROOT,
              "notes %d, runs %d, attachments %d, live edits %d, live warm-up %d; expected notes"
                  + " >= 1, runs >= 1, attachments >= 0, live edits >= 1, warm-up >= 0",
              notes,
              runs,
              attachments,
              liveEdits,
              liveWarmup));
    }
    return WorkDir.use(work, "vaultsync-vault-bench", dir -> measure(dir, out));
  }

  private Result measure(Path dir, PrintStream out) throws IOException, InterruptedException {
    Path data = dir.resolve("server");
    String tokenA;
    String tokenB;
    try (ServerData.TokenDatabase db = ServerData.openTokens(data, Clock.systemUTC())) {
      tokenA = db.tokens().create("bench-a");
      tokenB = db.tokens().create("bench-b");
    }
    boolean withRsync = !noRsync && RsyncTool.installed();
    List<String> tools = withRsync ? List.of(VAULTSYNC, RSYNC, RSYNC_Z) : List.of(VAULTSYNC);
    // The vaults of all runs and tools are written before anything is timed.
    long vaultBytes = 0;
    for (int run = 1; run <= runs; run++) {
      for (String tool : tools) {
        vaultBytes =
            GenerateVault.generate(
                runDir(dir, run).resolve(folder(tool, "a")), notes, seed, attachments);
      }
    }
    out.printf(
        Locale.ROOT,
        "vault: %,d notes, %,d bytes, %d attachments (seed %d); %d runs; tools %s; work %s%n"
            + "clients: %s%n",
        notes,
        vaultBytes,
        attachments,
        seed,
        runs,
        tools,
        dir,
        MeasuredCommand.method());
    Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    for (String tool : tools) {
      Map<String, List<Sample>> m = new LinkedHashMap<>();
      SCENARIOS.forEach(sc -> m.put(sc, new ArrayList<>()));
      samples.put(tool, m);
    }
    String difference = null;
    try (ServerProcess server = ServerProcess.start(data, classpath, dir.resolve("server.log"));
        RsyncTool.Daemon daemon = withRsync ? RsyncTool.Daemon.configure(dir, runs, tools) : null) {
      out.println("server: " + server.method());
      if (daemon != null) {
        out.println("rsync: " + daemon.method());
      }
      for (int run = 1; run <= runs; run++) {
        for (String tool : tools) {
          boolean vs = tool.equals(VAULTSYNC);
          Tool t =
              vs
                  ? new VaultsyncTool(server.url(), tokenA, tokenB, run)
                  : new RsyncTool(daemon, tool.equals(RSYNC_Z), run, tool);
          Path runDir = runDir(dir, run);
          List<Sample> one =
              runOnce(
                  t, vs ? server : daemon, vs, runDir, run, folder(tool, "a"), folder(tool, "b"));
          one.forEach(sc -> samples.get(tool).get(sc.scenario()).add(sc));
          String d =
              WatchLatencyBenchmark.difference(
                  runDir.resolve(folder(tool, "a")), runDir.resolve(folder(tool, "b")));
          out.printf(
              Locale.ROOT,
              "run %d, %s: %s%n",
              run,
              tool,
              d == null ? "A and B hold the same files" : "DIFFER: " + d);
          if (d != null && difference == null) {
            difference = "run " + run + ", " + tool + ": " + d;
          }
        }
      }
    }
    Map<String, List<Row>> rows = new LinkedHashMap<>();
    samples.forEach(
        (tool, m) -> {
          List<Row> list = new ArrayList<>();
          m.forEach((name, l) -> list.add(row(name, l)));
          rows.put(tool, list);
        });
    Result result = new Result(notes, vaultBytes, runs, rows.get(VAULTSYNC), rows, difference);
    out.print(BenchmarkTables.sizeTable(result));
    if (csv != null) {
      Path parent = csv.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      BenchmarkTables.writeAtomically(
          csv, String.join("\n", BenchmarkTables.csvLines(List.of(result))) + "\n");
    }
    return result;
  }

  private static String folder(String tool, String side) {
    return tool.replace(" ", "") + "-" + side;
  }

  private static Path runDir(Path dir, int run) {
    return dir.resolve("run-" + run);
  }

  /** How one tool uploads A and downloads into B; each call runs one client process. */
  interface Tool {
    /** The first upload of {@code a} (vaultsync init). */
    List<String> init(Path a);

    /** The first download into {@code b} (vaultsync clone). */
    List<String> cloneInto(Path b);

    /** An upload of {@code a}'s changes (vaultsync sync A). */
    List<String> upload(Path a);

    /** A download of the changes into {@code b} (vaultsync sync B). */
    List<String> download(Path b);

    /** Bytes sent and received, from the process's output. */
    long[] bytes(List<String> output) throws IOException;
  }

  private final class VaultsyncTool implements Tool {
    private final String url;
    private final String tokenA;
    private final String tokenB;
    private final String vault;

    VaultsyncTool(String url, String tokenA, String tokenB, int run) {
      this.url = url;
      this.tokenA = tokenA;
      this.tokenB = tokenB;
      this.vault = "bench-" + run;
    }

    private List<String> cli(String... args) {
      List<String> a = new ArrayList<>(List.of(args));
      a.add("--json");
      return CliProcess.command(List.of(), classpath, a);
    }

    @Override
    public List<String> init(Path a) {
      return cli("init", a.toString(), "--server", url, "--vault", vault, "--token", tokenA);
    }

    @Override
    public List<String> cloneInto(Path b) {
      return cli("clone", url, vault, b.toString(), "--token", tokenB);
    }

    @Override
    public List<String> upload(Path a) {
      return cli("sync", a.toString());
    }

    @Override
    public List<String> download(Path b) {
      return cli("sync", b.toString());
    }

    @Override
    public long[] bytes(List<String> output) throws IOException {
      String json =
          output.stream()
              .filter(l -> l.contains("\"bytesSent\""))
              .findFirst()
              .orElseThrow(() -> new IOException("no JSON summary in " + output));
      return new long[] {number(SENT, json), number(RECEIVED, json)};
    }
  }

  /** Builds a command once the server side is up (rsync's daemon port is new every scenario). */
  @FunctionalInterface
  private interface CommandOf {
    List<String> of(Tool tool);
  }

  private List<Sample> runOnce(
      Tool tool, ServerSide server, boolean live, Path runDir, int run, String aName, String bName)
      throws IOException, InterruptedException {
    Path a = runDir.resolve(aName);
    Path b = runDir.resolve(bName);
    // the same seed for every tool: each makes the same edits to the same vault
    SplittableRandom random = new SplittableRandom(seed * 31 + run);
    List<Sample> out = new ArrayList<>();
    out.add(scenario(SCENARIOS.get(0), runDir, tool, server, t -> t.init(a)));
    out.add(scenario(SCENARIOS.get(1), runDir, tool, server, t -> t.cloneInto(b)));

    List<Path> paths = WatchLatencyBenchmark.notePaths(a);
    editLine(a.resolve(paths.get(random.nextInt(paths.size()))), run);
    out.add(scenario(SCENARIOS.get(2), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    for (Path p : pick(paths, 100, random)) {
      editLine(a.resolve(p), run);
    }
    out.add(scenario(SCENARIOS.get(3), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    List<Path> moved = pick(paths, 50, random);
    for (int i = 0; i < moved.size(); i++) {
      Path from = a.resolve(moved.get(i));
      String name = from.getFileName().toString();
      Path to =
          i % 2 == 0
              ? from.resolveSibling(name.substring(0, name.length() - 3) + " renamed.md")
              // note names end in a unique number, so a note moved to another folder never collides
              : a.resolve(paths.get(random.nextInt(paths.size()))).resolveSibling(name);
      if (!to.equals(from)) {
        Files.move(from, to);
      }
    }
    out.add(scenario(SCENARIOS.get(4), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    Path folder = smallestFolder(a);
    Files.move(folder, folder.resolveSibling(folder.getFileName() + " renamed"));
    out.add(scenario(SCENARIOS.get(5), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    out.add(scenario(SCENARIOS.get(6), runDir, tool, server, t -> t.upload(a)));
    out.add(
        live ? live(runDir, server, a, b, run, random) : Sample.notApplicable(SCENARIOS.get(LIVE)));
    return out;
  }

  /**
   * The live scenario: {@code vaultsync watch} on A and on B (their own JVMs, the default
   * debounce), {@link #liveWarmup} edits, then {@link #liveEdits} measured ones: a list line
   * appended to a random note in A (saved by temp file and rename, as most editors do), the time
   * until B's copy holds exactly the new bytes. CPU time and peak RSS of both watchers and the
   * server cover the measured edits only (after the start-up and warm-up); bytes are the watchers'
   * own counters over the measured edits, per edit.
   */
  private Sample live(
      Path runDir, ServerSide server, Path a, Path b, int run, SplittableRandom random)
      throws IOException, InterruptedException {
    String scenario = SCENARIOS.get(LIVE);
    List<Path> paths = WatchLatencyBenchmark.notePaths(a);
    long debounce = WatchOptions.DEFAULTS.debounce().toMillis();
    Path logs = runDir.resolve("logs");
    long[] nanos = new long[liveEdits];
    try (WatchClient ca =
            WatchClient.process("watch-a", a, debounce, classpath, logs.resolve("watch-a.log"));
        WatchClient cb =
            WatchClient.process("watch-b", b, debounce, classpath, logs.resolve("watch-b.log"));
        ArrivalWatch arrivals = new ArrivalWatch(b)) {
      ca.awaitConnected(Duration.ofMinutes(10));
      cb.awaitConnected(Duration.ofMinutes(10));
      int cyclesA = 0;
      int cyclesB = 0;
      long cpuA = -1;
      long cpuB = -1;
      boolean peaks = false;
      for (int i = 0; i < liveWarmup + liveEdits; i++) {
        if (i == liveWarmup) {
          cyclesA = ca.cycles().size();
          cyclesB = cb.cycles().size();
          server.begin();
          cpuA = ProcessUsage.cpuNanos(ca.pid());
          cpuB = ProcessUsage.cpuNanos(cb.pid());
          peaks = ProcessUsage.resetPeak(ca.pid()) && ProcessUsage.resetPeak(cb.pid());
        }
        Path rel = paths.get(random.nextInt(paths.size()));
        byte[] next =
            (Files.readString(a.resolve(rel), StandardCharsets.UTF_8)
                    + "- live edit "
                    + i
                    + " in run "
                    + run
                    + "\n")
                .getBytes(StandardCharsets.UTF_8);
        long t0 = System.nanoTime();
        EditorSave.TEMP_AND_RENAME.save(a.resolve(rel), next);
        long t1 = arrivals.await(b.resolve(rel), next, Duration.ofSeconds(60));
        if (i >= liveWarmup) {
          nanos[i - liveWarmup] = t1 - t0;
        }
        Thread.sleep(liveGapMillis); // let A's cycle end before the next save, as a person pauses
      }
      long endA = ProcessUsage.cpuNanos(ca.pid());
      long endB = ProcessUsage.cpuNanos(cb.pid());
      Usage client =
          new Usage(
              cpuA < 0 || cpuB < 0 || endA < 0 || endB < 0 ? -1 : endA - cpuA + endB - cpuB,
              peaks
                  ? Math.max(ProcessUsage.peakRssKib(ca.pid()), ProcessUsage.peakRssKib(cb.pid()))
                  : -1);
      Usage serverUsage = server.end();
      long sent = 0;
      long received = 0;
      for (WatchClient.Cycle c : ca.cycles().subList(cyclesA, ca.cycles().size())) {
        sent += c.bytesSent();
        received += c.bytesReceived();
      }
      for (WatchClient.Cycle c : cb.cycles().subList(cyclesB, cb.cycles().size())) {
        sent += c.bytesSent();
        received += c.bytesReceived();
      }
      long[] sorted = nanos.clone();
      Arrays.sort(sorted);
      return new Sample(
          scenario,
          LatencySummary.rank(sorted, 50),
          sent / liveEdits,
          received / liveEdits,
          client,
          serverUsage,
          LatencySummary.rank(sorted, 90),
          LatencySummary.rank(sorted, 99));
    }
  }

  /** Appends one list line to a note (an edit like a person's: a line at the end). */
  private static void editLine(Path note, int run) throws IOException {
    Files.writeString(
        note,
        "- edited in run " + run + "\n",
        StandardCharsets.UTF_8,
        java.nio.file.StandardOpenOption.APPEND);
  }

  /** {@code n} distinct paths (all of them if there are fewer). */
  private static List<Path> pick(List<Path> paths, int n, SplittableRandom random) {
    List<Path> copy = new ArrayList<>(paths);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Path t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
  }

  /**
   * The note folder (not the root, not hidden) holding the fewest notes below it, ties broken by
   * name: a folder rename that moves a handful of notes, as a person reorganizing would.
   */
  static Path smallestFolder(Path root) throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.walk(root)) {
      folders =
          s.filter(Files::isDirectory)
              .filter(p -> !p.equals(root))
              .filter(p -> !root.relativize(p).getName(0).toString().startsWith("."))
              .sorted()
              .toList();
    }
    Path best = null;
    long bestCount = Long.MAX_VALUE;
    for (Path f : folders) {
      long count;
      try (Stream<Path> s = Files.walk(f)) {
        count = s.filter(p -> p.toString().endsWith(".md")).count();
      }
      if (count > 0 && count < bestCount) {
        best = f;
        bestCount = count;
      }
    }
    if (best == null) {
      throw new IOException("no note folder under " + root);
    }
    return best;
  }

  private static long number(Pattern p, String json) throws IOException {
    Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IOException("no " + p + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  /** The median (the lower middle value for an even count). */
  static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[(v.length - 1) / 2];
  }

  /**
   * One scenario: the server side's meter around the commands, run one after the other; wall times
   * and bytes add up, client CPU adds up, the client peak RSS is the largest of them.
   */
  private static Sample scenario(
      String scenario, Path runDir, Tool tool, ServerSide server, CommandOf... commands)
      throws IOException, InterruptedException {
    server.begin();
    long nanos = 0;
    long sent = 0;
    long received = 0;
    Usage client = null;
    Usage serverUsage;
    try {
      for (CommandOf c : commands) {
        MeasuredCommand m =
            MeasuredCommand.run(c.of(tool), runDir.resolve("logs"), COMMAND_TIMEOUT_MINUTES);
        long[] bytes = tool.bytes(m.output());
        nanos += m.nanos();
        sent += bytes[0];
        received += bytes[1];
        client = client == null ? m.usage() : client.plus(m.usage());
      }
    } finally {
      serverUsage = server.end();
    }
    return new Sample(scenario, nanos, sent, received, client, serverUsage, -1, -1);
  }

  static Row row(String scenario, List<Sample> list) {
    return new Row(
        scenario,
        list.size(),
        median(list, Sample::nanos),
        median(list, Sample::bytesSent),
        median(list, Sample::bytesReceived),
        median(list, s -> s.client().cpuNanos()),
        median(list, s -> s.client().peakRssKib()),
        median(list, s -> s.server().cpuNanos()),
        median(list, s -> s.server().peakRssKib()),
        median(list, Sample::p90Nanos),
        median(list, Sample::p99Nanos));
  }

  /** The median of a field over the runs, or -1 (n/a) if any run lacks it. */
  private static long median(List<Sample> list, ToLongFunction<Sample> field) {
    long[] v = list.stream().mapToLong(field).toArray();
    return Arrays.stream(v).anyMatch(x -> x < 0) ? -1 : median(v);
  }
}
