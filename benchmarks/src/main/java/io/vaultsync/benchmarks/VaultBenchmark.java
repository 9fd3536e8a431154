package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.wan.Link;
import io.vaultsync.benchmarks.wan.LinkOptions;
import io.vaultsync.benchmarks.wan.ShapingProxy;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.ToLongFunction;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
 * <p>{@code --link wan} puts a {@link ShapingProxy} (round trip and rate cap per direction, default
 * 50 ms and 20 Mbit/s) between the vaultsync clients and the server's gRPC port, and another
 * between rsync and its daemon; every scenario, the live one included, then runs over it.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.VaultBenchmark [--notes 1000] [--runs 5]
 * </pre>
 *
 * <p>Over 400 lines: the options, the records of what was measured (read by {@link BenchmarkTables}
 * and {@link BenchmarkCharts}), one run of the scenarios in order and the metering the vaultsync
 * and rsync runs share; the edits are {@link VaultEdits}, the live scenario {@link LiveScenario}.
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

  @Option(
      names = "--link",
      description =
          "loopback, or wan: every client reaches its server through a shaping proxy"
              + " (default ${DEFAULT-VALUE}).")
  String linkName = "loopback";

  @Mixin LinkOptions linkOptions = new LinkOptions();

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
   * @param link the link between clients and servers
   */
  public record Result(
      int notes,
      long vaultBytes,
      int runs,
      List<Row> rows,
      Map<String, List<Row>> byTool,
      String difference,
      Link link) {
    public Result {
      rows = List.copyOf(rows);
      byTool = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(byTool));
    }

    /** A result over loopback. */
    public Result(
        int notes,
        long vaultBytes,
        int runs,
        List<Row> rows,
        Map<String, List<Row>> byTool,
        String difference) {
      this(notes, vaultBytes, runs, rows, byTool, difference, Link.LOOPBACK);
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

  /** The link the options name. */
  Link link() {
    return linkOptions.link(linkName);
  }

  /** Runs the benchmark, printing progress and the table to {@code out}. */
  public Result measure(PrintStream out) throws IOException, InterruptedException {
    link(); // a bad --link fails before any work
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
    Map<String, String> tokens = BenchTokens.create(data, List.of("bench-a", "bench-b"));
    String tokenA = tokens.get("bench-a");
    String tokenB = tokens.get("bench-b");
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
        "vault: %,d notes, %,d bytes, %d attachments (seed %d); %d runs; tools %s; link %s;"
            + " work %s%nclients: %s%n",
        notes,
        vaultBytes,
        attachments,
        seed,
        runs,
        tools,
        link().label(),
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
        RsyncTool.Daemon daemon = withRsync ? RsyncTool.Daemon.configure(dir, runs, tools) : null;
        // on a wan link: one proxy in front of the server's gRPC port, one in front of the daemon
        ShapingProxy serverLink =
            link().shaped() ? ShapingProxy.start(link(), server::port) : null;
        ShapingProxy rsyncLink =
            link().shaped() && daemon != null ? ShapingProxy.start(link(), daemon::port) : null) {
      out.println("server: " + server.method());
      if (daemon != null) {
        out.println("rsync: " + daemon.method());
      }
      if (serverLink != null) {
        out.println("link: " + serverLink + (rsyncLink == null ? "" : "; rsync: " + rsyncLink));
      }
      String url = serverLink == null ? server.url() : "http://127.0.0.1:" + serverLink.port();
      for (int run = 1; run <= runs; run++) {
        for (String tool : tools) {
          boolean vs = tool.equals(VAULTSYNC);
          Tool t =
              vs
                  ? new VaultsyncTool(classpath, url, tokenA, tokenB, "bench-" + run)
                  : new RsyncTool(
                      rsyncLink == null ? daemon::port : rsyncLink::port,
                      tool.equals(RSYNC_Z),
                      run,
                      tool);
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
    Result result =
        new Result(notes, vaultBytes, runs, rows.get(VAULTSYNC), rows, difference, link());
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
    VaultEdits.editLine(a.resolve(paths.get(random.nextInt(paths.size()))), run);
    out.add(scenario(SCENARIOS.get(2), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    for (Path p : VaultEdits.pick(paths, 100, random)) {
      VaultEdits.editLine(a.resolve(p), run);
    }
    out.add(scenario(SCENARIOS.get(3), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    VaultEdits.renameOrMove(a, paths, 50, random);
    out.add(scenario(SCENARIOS.get(4), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    Path folder = VaultEdits.smallestFolder(a);
    Files.move(folder, folder.resolveSibling(folder.getFileName() + " renamed"));
    out.add(scenario(SCENARIOS.get(5), runDir, tool, server, t -> t.upload(a), t -> t.download(b)));

    out.add(scenario(SCENARIOS.get(6), runDir, tool, server, t -> t.upload(a)));
    out.add(
        live
            ? new LiveScenario(liveWarmup, liveEdits, liveGapMillis, classpath)
                .measure(runDir, server, a, b, run, random)
            : Sample.notApplicable(SCENARIOS.get(LIVE)));
    return out;
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
