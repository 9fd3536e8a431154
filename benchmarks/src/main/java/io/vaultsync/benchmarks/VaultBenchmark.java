package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.benchmarks.live.LocalServer;
import io.vaultsync.server.app.ServerData;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 6's vault benchmark, first slice: a generated vault ({@link GenerateVault}) synced through
 * a real server ({@code vaultsync server} in this JVM on 127.0.0.1, port 0) by the {@code
 * vaultsync} CLI, each command in its own JVM as a user runs it.
 *
 * <p>Each run gets fresh folders and a fresh vault on the server ({@code bench-N}); nothing is
 * deleted while the benchmark runs (on these machines creating many files right after deleting many
 * is several times slower). A run: first upload ({@code init} of A), {@code clone} into B, then a
 * one-line edit in one note, one-line edits in 100 notes, 50 notes renamed or moved, a folder
 * renamed (each: {@code sync} of A, which uploads, then {@code sync} of B, which downloads), and a
 * no-op {@code sync} of A. Per scenario: wall time of the commands, bytes on the wire both ways
 * (the client's gRPC message counters, from {@code --json}), and the client's CPU time (user +
 * system of the CLI processes, from {@code /proc/self/stat}'s children times; n/a elsewhere). The
 * median over runs is reported, as Markdown and CSV. At the end of each run A and B must hold the
 * same files.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.VaultBenchmark [--notes 1000] [--runs 5]
 * </pre>
 */
@Command(
    name = "VaultBenchmark",
    mixinStandardHelpOptions = true,
    description = "Time and bytes of vaultsync's init, clone and syncs on a generated vault.")
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
          "no-op sync");

  private static final Pattern SENT = Pattern.compile("\"bytesSent\":(\\d+)");
  private static final Pattern RECEIVED = Pattern.compile("\"bytesReceived\":(\\d+)");

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

  /** One scenario of one run. */
  public record Sample(
      String scenario, long nanos, long bytesSent, long bytesReceived, long cpuNanos) {}

  /** The medians of one scenario over the runs. */
  public record Row(
      String scenario,
      int runs,
      long medianNanos,
      long bytesSent,
      long bytesReceived,
      long cpuNanos) {
    public long bytes() {
      return bytesSent + bytesReceived;
    }
  }

  /** What a benchmark measured; {@code difference} is null when every run converged. */
  public record Result(
      long vaultBytes, List<Row> rows, Map<String, List<Row>> byTool, String difference) {
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
    if (notes < 1 || runs < 1 || attachments < 0) {
      throw new IllegalArgumentException(
          "notes "
              + notes
              + ", runs "
              + runs
              + ", attachments "
              + attachments
              + "; expected notes >= 1, runs >= 1, attachments >= 0");
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
        "vault: %,d notes, %,d bytes, %d attachments (seed %d); %d runs; tools %s; work %s%n",
        notes,
        vaultBytes,
        attachments,
        seed,
        runs,
        tools,
        dir);
    Map<String, Map<String, List<Sample>>> samples = new LinkedHashMap<>();
    for (String tool : tools) {
      Map<String, List<Sample>> m = new LinkedHashMap<>();
      SCENARIOS.forEach(sc -> m.put(sc, new ArrayList<>()));
      samples.put(tool, m);
    }
    String difference = null;
    try (LocalServer server = new LocalServer(data);
        RsyncTool.Daemon daemon = withRsync ? RsyncTool.Daemon.start(dir, runs, tools) : null) {
      for (int run = 1; run <= runs; run++) {
        for (String tool : tools) {
          Tool t =
              tool.equals(VAULTSYNC)
                  ? new VaultsyncTool(server.url(), tokenA, tokenB, run)
                  : new RsyncTool(daemon, tool.equals(RSYNC_Z), run, tool);
          Path runDir = runDir(dir, run);
          List<Sample> one = runOnce(t, runDir, run, folder(tool, "a"), folder(tool, "b"));
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
    out.print(markdown(rows.get(VAULTSYNC), notes, vaultBytes, runs));
    if (withRsync) {
      out.print(comparison(rows, notes, vaultBytes, runs));
    }
    if (csv != null) {
      Path parent = csv.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Files.write(csv, csvLines(rows), StandardCharsets.UTF_8);
    }
    return new Result(vaultBytes, rows.get(VAULTSYNC), rows, difference);
  }

  static final String VAULTSYNC = "vaultsync";
  static final String RSYNC = "rsync";
  static final String RSYNC_Z = "rsync -z";

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
      List<String> cmd = new ArrayList<>();
      cmd.add(CliProcess.javaBinary());
      cmd.addAll(CliProcess.launchOptions(classpath)); // as the ./vaultsync launcher runs it
      cmd.add("-cp");
      cmd.add(classpath);
      cmd.add(CliProcess.MAIN);
      cmd.addAll(List.of(args));
      cmd.add("--json");
      return cmd;
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

  private List<Sample> runOnce(Tool tool, Path runDir, int run, String aName, String bName)
      throws IOException, InterruptedException {
    Path a = runDir.resolve(aName);
    Path b = runDir.resolve(bName);
    // the same seed for every tool: each makes the same edits to the same vault
    SplittableRandom random = new SplittableRandom(seed * 31 + run);
    List<Sample> out = new ArrayList<>();
    out.add(measure(SCENARIOS.get(0), runDir, tool, tool.init(a)));
    out.add(measure(SCENARIOS.get(1), runDir, tool, tool.cloneInto(b)));

    List<Path> paths = WatchLatencyBenchmark.notePaths(a);
    editLine(a.resolve(paths.get(random.nextInt(paths.size()))), run);
    out.add(syncBoth(SCENARIOS.get(2), runDir, tool, a, b));

    for (Path p : pick(paths, 100, random)) {
      editLine(a.resolve(p), run);
    }
    out.add(syncBoth(SCENARIOS.get(3), runDir, tool, a, b));

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
    out.add(syncBoth(SCENARIOS.get(4), runDir, tool, a, b));

    Path folder = smallestFolder(a);
    Files.move(folder, folder.resolveSibling(folder.getFileName() + " renamed"));
    out.add(syncBoth(SCENARIOS.get(5), runDir, tool, a, b));

    out.add(measure(SCENARIOS.get(6), runDir, tool, tool.upload(a)));
    return out;
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

  private Sample syncBoth(String scenario, Path runDir, Tool tool, Path a, Path b)
      throws IOException, InterruptedException {
    Sample up = measure(scenario, runDir, tool, tool.upload(a));
    Sample down = measure(scenario, runDir, tool, tool.download(b));
    return new Sample(
        scenario,
        up.nanos() + down.nanos(),
        up.bytesSent() + down.bytesSent(),
        up.bytesReceived() + down.bytesReceived(),
        up.cpuNanos() < 0 || down.cpuNanos() < 0 ? -1 : up.cpuNanos() + down.cpuNanos());
  }

  /** Runs one client command as its own process; wall time, wire bytes, CPU time. */
  private static Sample measure(String scenario, Path runDir, Tool tool, List<String> cmd)
      throws IOException, InterruptedException {
    Path logs = Files.createDirectories(runDir.resolve("logs"));
    Path log = logs.resolve("cmd-" + System.nanoTime() + ".log");
    long cpu0 = childrenCpuNanos();
    long t0 = System.nanoTime();
    Process p =
        new ProcessBuilder(cmd)
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
            .start();
    if (!p.waitFor(30, java.util.concurrent.TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new IOException(String.join(" ", cmd) + " did not end in 30 minutes; see " + log);
    }
    long nanos = System.nanoTime() - t0;
    long cpu1 = childrenCpuNanos();
    List<String> output = Files.readAllLines(log, StandardCharsets.UTF_8);
    if (p.exitValue() != 0) {
      throw new IOException(
          String.join(" ", cmd) + " exited with " + p.exitValue() + ": " + output);
    }
    long[] bytes = tool.bytes(output);
    return new Sample(scenario, nanos, bytes[0], bytes[1], cpu0 < 0 || cpu1 < 0 ? -1 : cpu1 - cpu0);
  }

  private static long number(Pattern p, String json) throws IOException {
    Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IOException("no " + p + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }

  /**
   * User + system CPU time of this process's ended children (Linux: fields 16 and 17 of {@code
   * /proc/self/stat}, in clock ticks of 10 ms), or -1 where that is not available.
   */
  static long childrenCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // the command name (field 2) may hold spaces; fields after its ')' are plain
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      // f[0] is field 3; cutime is field 16, cstime field 17
      return (Long.parseLong(f[13]) + Long.parseLong(f[14])) * 10_000_000L;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  static Row row(String scenario, List<Sample> list) {
    return new Row(
        scenario,
        list.size(),
        median(list.stream().mapToLong(Sample::nanos).toArray()),
        median(list.stream().mapToLong(Sample::bytesSent).toArray()),
        median(list.stream().mapToLong(Sample::bytesReceived).toArray()),
        median(list.stream().mapToLong(Sample::cpuNanos).toArray()));
  }

  /** The median (the lower middle value for an even count). */
  static long median(long[] values) {
    long[] v = values.clone();
    Arrays.sort(v);
    return v[(v.length - 1) / 2];
  }

  static String markdown(List<Row> rows, int notes, long vaultBytes, int runs) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nvaultsync, %,d notes (%,d bytes), median of %d run%s; each sync scenario is the"
                + " uploading sync plus the downloading sync; CLI commands in their own JVMs.%n%n",
            notes,
            vaultBytes,
            runs,
            runs == 1 ? "" : "s"));
    sb.append("| scenario | wall s | bytes sent | bytes received | bytes total | client CPU s |\n");
    sb.append("|---|---:|---:|---:|---:|---:|\n");
    for (Row r : rows) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %,d | %,d | %,d | %s |%n",
              r.scenario(),
              r.medianNanos() / 1e9,
              r.bytesSent(),
              r.bytesReceived(),
              r.bytes(),
              r.cpuNanos() < 0 ? "n/a" : String.format(Locale.ROOT, "%.2f", r.cpuNanos() / 1e9)));
    }
    return sb.toString();
  }

  static String comparison(Map<String, List<Row>> rows, int notes, long vaultBytes, int runs) {
    StringBuilder sb = new StringBuilder();
    sb.append(
        String.format(
            Locale.ROOT,
            "%nvaultsync vs rsync (daemon on 127.0.0.1, -a --delete, with and without -z), %,d notes"
                + " (%,d bytes), median of %d; ratio = vaultsync / rsync (< 1: vaultsync better).%n%n",
            notes,
            vaultBytes,
            runs));
    sb.append(
        "| scenario | vaultsync s | rsync s | rsync -z s | time ratio (rsync, -z) | vaultsync bytes"
            + " | rsync bytes | rsync -z bytes | bytes ratio (rsync, -z) |\n");
    sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    List<Row> v = rows.get(VAULTSYNC);
    List<Row> r = rows.get(RSYNC);
    List<Row> z = rows.get(RSYNC_Z);
    for (int i = 0; i < v.size(); i++) {
      sb.append(
          String.format(
              Locale.ROOT,
              "| %s | %.2f | %.2f | %.2f | %s, %s | %,d | %,d | %,d | %s, %s |%n",
              v.get(i).scenario(),
              v.get(i).medianNanos() / 1e9,
              r.get(i).medianNanos() / 1e9,
              z.get(i).medianNanos() / 1e9,
              ratio(v.get(i).medianNanos(), r.get(i).medianNanos()),
              ratio(v.get(i).medianNanos(), z.get(i).medianNanos()),
              v.get(i).bytes(),
              r.get(i).bytes(),
              z.get(i).bytes(),
              ratio(v.get(i).bytes(), r.get(i).bytes()),
              ratio(v.get(i).bytes(), z.get(i).bytes())));
    }
    return sb.toString();
  }

  private static String ratio(long a, long b) {
    return b == 0 ? "n/a" : String.format(Locale.ROOT, "%.3g", a / (double) b);
  }

  static List<String> csvLines(Map<String, List<Row>> rows) {
    List<String> lines = new ArrayList<>();
    lines.add("tool,scenario,runs,wall_ms,bytes_sent,bytes_received,client_cpu_ms");
    rows.forEach(
        (tool, list) -> {
          for (Row r : list) {
            lines.add(
                String.format(
                    Locale.ROOT,
                    "%s,\"%s\",%d,%.1f,%d,%d,%s",
                    tool,
                    r.scenario(),
                    r.runs(),
                    r.medianNanos() / 1e6,
                    r.bytesSent(),
                    r.bytesReceived(),
                    r.cpuNanos() < 0
                        ? ""
                        : String.format(Locale.ROOT, "%.0f", r.cpuNanos() / 1e6)));
          }
        });
    return lines;
  }
}
