package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.live.ArrivalWatch;
import io.vaultsync.benchmarks.live.EditorSave;
import io.vaultsync.benchmarks.live.LatencySummary;
import io.vaultsync.benchmarks.live.LocalServer;
import io.vaultsync.benchmarks.live.WatchClient;
import io.vaultsync.client.cli.VaultsyncCommand;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Issue 4's live-sync latency: an edit saved in client A's folder until B's folder holds exactly
 * the new content, through a real server on 127.0.0.1.
 *
 * <p>The server is {@code vaultsync server} (in this JVM, port 0) with a generated vault ({@link
 * GenerateVault}); A and B are two {@code vaultsync watch} processes (or, with {@code
 * --in-process}, two sessions in this JVM). After warm-up edits, each edit picks a seeded random
 * note, inserts a line and saves it as an editor does ({@link EditorSave}: a temporary file renamed
 * over the note, or in place for {@code --in-place-percent} of them); the clock runs from just
 * before the save until {@link ArrivalWatch} sees B's copy with exactly the new bytes (inotify plus
 * a content check, 1 ms poll fallback). The next edit waits for that and a short gap, so edits
 * never overlap.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.WatchLatencyBenchmark [options]
 * </pre>
 */
@Command(
    name = "WatchLatencyBenchmark",
    mixinStandardHelpOptions = true,
    description = "Edit saved in A's folder -> same bytes in B's folder, through a local server.")
public final class WatchLatencyBenchmark implements Callable<Integer> {
  @Option(names = "--notes", description = "Notes in the generated vault (${DEFAULT-VALUE}).")
  int notes = 1000;

  @Option(names = "--edits", description = "Measured edits per debounce (${DEFAULT-VALUE}).")
  int edits = 200;

  @Option(names = "--warmup", description = "Unmeasured edits first (${DEFAULT-VALUE}).")
  int warmup = 50;

  @Option(names = "--seed", description = "Vault and edit seed (${DEFAULT-VALUE}).")
  long seed = 20261126L;

  @Option(
      names = "--debounce",
      split = ",",
      description = "Debounce values of the watch clients, one run each (${DEFAULT-VALUE}).")
  List<Long> debounces = new ArrayList<>(List.of(10L, 0L));

  @Option(
      names = "--in-place-percent",
      description = "Share of edits saved in place rather than by rename (${DEFAULT-VALUE}).")
  int inPlacePercent = 25;

  @Option(names = "--gap-ms", description = "Pause after each arrival (${DEFAULT-VALUE}).")
  long gapMillis = 50;

  @Option(
      names = "--in-process",
      description = "Run both watch clients in this JVM instead of two processes.")
  boolean inProcess;

  @Option(names = "--csv", description = "Samples file (${DEFAULT-VALUE}).")
  Path csv = Path.of("watch-latency.csv");

  @Option(names = "--work", description = "Work folder (default: a new temporary one, removed).")
  Path work;

  @Option(
      names = "--classpath",
      description = "Class path of the client processes (default: this JVM's).")
  String classpath = System.getProperty("java.class.path");

  /** The samples of one debounce value. */
  public record Run(long debounceMillis, long[] nanos, EditorSave[] saves, String cycles) {
    public LatencySummary summary() {
      return LatencySummary.ofNanos(nanos);
    }

    /** The summary of the edits saved with {@code kind}, or null if there were none. */
    public LatencySummary summary(EditorSave kind) {
      long[] of = new long[nanos.length];
      int n = 0;
      for (int i = 0; i < nanos.length; i++) {
        if (saves[i] == kind) {
          of[n++] = nanos[i];
        }
      }
      return n == 0 ? null : LatencySummary.ofNanos(Arrays.copyOf(of, n));
    }
  }

  /** Every run, and whether A and B ended with the same files. */
  public record Result(List<Run> runs, boolean converged, String difference) {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new WatchLatencyBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Result r = measure(System.out);
    return r.converged() ? 0 : 1;
  }

  /** Runs the benchmark, printing progress and the report to {@code out}. */
  public Result measure(PrintStream out) throws IOException, InterruptedException {
    if (notes < 1 || edits < 1 || warmup < 0 || inPlacePercent < 0 || inPlacePercent > 100) {
      throw new IllegalArgumentException(
          "--notes "
              + notes
              + " --edits "
              + edits
              + " --warmup "
              + warmup
              + " --in-place-percent "
              + inPlacePercent
              + "; expected notes, edits >= 1, warmup >= 0, percent 0..100");
    }
    return WorkDir.use(work, "vaultsync-watch-latency", dir -> measure(dir, out));
  }

  private Result measure(Path dir, PrintStream out) throws IOException, InterruptedException {
    Path a = dir.resolve("a");
    Path b = dir.resolve("b");
    long bytes = GenerateVault.generate(a, notes, seed);
    out.printf(
        Locale.ROOT,
        "vault: %d notes, %d bytes (seed %d); clients: %s%n",
        notes,
        bytes,
        seed,
        inProcess ? "in this JVM" : "two processes");
    List<Run> runs = new ArrayList<>();
    Map<String, String> tokens =
        BenchTokens.create(dir.resolve("server"), List.of("device-a", "device-b"));
    String tokenA = tokens.get("device-a");
    String tokenB = tokens.get("device-b");
    try (LocalServer server = new LocalServer(dir.resolve("server"))) {
      cli("init", a.toString(), "--server", server.url(), "--vault", "bench", "--token", tokenA);
      cli("clone", server.url(), "bench", b.toString(), "--token", tokenB);
      List<Path> paths = notePaths(a);
      SplittableRandom random = new SplittableRandom(seed);
      int editNo = 0;
      try (ArrivalWatch arrivals = new ArrivalWatch(b)) {
        for (long debounce : debounces) {
          Run run = runOnce(dir, a, b, debounce, paths, random, editNo, arrivals, out);
          editNo += warmup + edits;
          runs.add(run);
        }
      }
    }
    String difference = difference(a, b);
    report(runs, out);
    writeCsv(runs);
    out.println(difference == null ? "A and B hold the same files" : "DIFFER: " + difference);
    return new Result(runs, difference == null, difference);
  }

  private Run runOnce(
      Path dir,
      Path a,
      Path b,
      long debounce,
      List<Path> paths,
      SplittableRandom random,
      int firstEdit,
      ArrivalWatch arrivals,
      PrintStream out)
      throws IOException, InterruptedException {
    long[] nanos = new long[edits];
    EditorSave[] saves = new EditorSave[edits];
    try (WatchClient ca = client("a", a, debounce, dir);
        WatchClient cb = client("b", b, debounce, dir)) {
      ca.awaitConnected(Duration.ofSeconds(60));
      cb.awaitConnected(Duration.ofSeconds(60));
      int cyclesA = 0;
      int cyclesB = 0;
      for (int i = 0; i < warmup + edits; i++) {
        if (i == warmup) {
          cyclesA = ca.cycles().size();
          cyclesB = cb.cycles().size();
        }
        Path rel = paths.get(random.nextInt(paths.size()));
        byte[] next = edited(Files.readAllBytes(a.resolve(rel)), random, firstEdit + i);
        EditorSave save =
            random.nextInt(100) < inPlacePercent ? EditorSave.IN_PLACE : EditorSave.TEMP_AND_RENAME;
        long t0 = System.nanoTime();
        save.save(a.resolve(rel), next);
        long t1 = arrivals.await(b.resolve(rel), next, Duration.ofSeconds(30));
        if (i >= warmup) {
          nanos[i - warmup] = t1 - t0;
          saves[i - warmup] = save;
        }
        Thread.sleep(gapMillis);
      }
      String cycles = cycleSummary(ca.cycles(), cyclesA, cb.cycles(), cyclesB);
      out.printf(Locale.ROOT, "debounce %d ms: %d edits measured; %s%n", debounce, edits, cycles);
      return new Run(debounce, nanos, saves, cycles);
    }
  }

  private WatchClient client(String name, Path folder, long debounce, Path dir) throws IOException {
    return inProcess
        ? WatchClient.inProcess(name, folder, debounce)
        : WatchClient.process(
            name,
            folder,
            debounce,
            classpath,
            dir.resolve("logs/" + name + "-" + debounce + ".log"));
  }

  /**
   * Median client cycle times of the measured edits (A's uploads, B's downloads), and the cycles
   * that moved files the other way: a B upload or an A download would be an echo.
   */
  private static String cycleSummary(
      List<WatchClient.Cycle> a, int fromA, List<WatchClient.Cycle> b, int fromB) {
    List<WatchClient.Cycle> ma = a.subList(fromA, a.size());
    List<WatchClient.Cycle> mb = b.subList(fromB, b.size());
    long[] up =
        ma.stream().filter(c -> c.filesUp() > 0).mapToLong(WatchClient.Cycle::millis).toArray();
    long[] down =
        mb.stream().filter(c -> c.filesDown() > 0).mapToLong(WatchClient.Cycle::millis).toArray();
    long echoes =
        ma.stream().filter(c -> c.filesDown() > 0).count()
            + mb.stream().filter(c -> c.filesUp() > 0).count();
    return String.format(
        Locale.ROOT,
        "A's upload cycles: %d, median %s ms; B's download cycles: %d, median %s ms; cycles moving"
            + " files the other way (echoes): %d",
        up.length,
        up.length == 0 ? "-" : LatencySummary.rank(sorted(up), 50),
        down.length,
        down.length == 0 ? "-" : LatencySummary.rank(sorted(down), 50),
        echoes);
  }

  private static long[] sorted(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s;
  }

  /** Inserts one line at a line start picked by {@code random}. */
  static byte[] edited(byte[] note, SplittableRandom random, int editNo) {
    int at = note.length == 0 ? 0 : random.nextInt(note.length + 1);
    while (at < note.length && at > 0 && note[at - 1] != '\n') {
      at++;
    }
    byte[] line =
        String.format(Locale.ROOT, "- edit %d: %016x%n", editNo, random.nextLong())
            .getBytes(StandardCharsets.UTF_8);
    byte[] out = new byte[note.length + line.length];
    System.arraycopy(note, 0, out, 0, at);
    System.arraycopy(line, 0, out, at, line.length);
    System.arraycopy(note, at, out, at + line.length, note.length - at);
    return out;
  }

  private static void cli(String... args) throws IOException {
    StringWriter text = new StringWriter();
    CommandLine cmd = VaultsyncCommand.commandLine(new VaultsyncCommand(), args);
    cmd.setOut(new PrintWriter(text));
    cmd.setErr(new PrintWriter(text));
    int code = cmd.execute(args);
    if (code != 0) {
      throw new IOException("vaultsync " + args[0] + " exited with " + code + ": " + text);
    }
  }

  /** The notes of {@code root} (relative, sorted), the state folder and .obsidian left out. */
  static List<Path> notePaths(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(p -> p.toString().endsWith(".md") && Files.isRegularFile(p))
          .map(root::relativize)
          .filter(p -> !p.getName(0).toString().startsWith("."))
          .sorted()
          .toList();
    }
  }

  /**
   * The first difference between the files of two folders, or null; the state folders and the files
   * the built-in ignore rules keep device-local (e.g. {@code .obsidian/workspace.json}) aside.
   */
  static String difference(Path a, Path b) throws IOException {
    Map<Path, byte[]> fa = files(a);
    Map<Path, byte[]> fb = files(b);
    if (!fa.keySet().equals(fb.keySet())) {
      List<Path> onlyA = new ArrayList<>(fa.keySet());
      onlyA.removeAll(fb.keySet());
      List<Path> onlyB = new ArrayList<>(fb.keySet());
      onlyB.removeAll(fa.keySet());
      return "only in A: " + onlyA + ", only in B: " + onlyB;
    }
    for (var e : fa.entrySet()) {
      if (!Arrays.equals(e.getValue(), fb.get(e.getKey()))) {
        return e.getKey() + " differs";
      }
    }
    return null;
  }

  private static Map<Path, byte[]> files(Path root) throws IOException {
    Map<Path, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(root)) {
      for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
        Path rel = root.relativize(p);
        if (!rel.getName(0).toString().equals(".vaultsync")
            && !IgnoreRules.DEFAULT.ignores(NotePath.fromFile(root, p))) {
          out.put(rel, Files.readAllBytes(p));
        }
      }
    }
    return out;
  }

  private void report(List<Run> runs, PrintStream out) {
    out.println();
    out.printf(
        Locale.ROOT,
        "Edit saved in A -> same bytes in B, %d notes, %s, %d measured edits per row after %d"
            + " warm-up, seed %d, %s, %d CPUs, %s%n",
        notes,
        inProcess ? "clients in-process" : "clients as processes",
        edits,
        warmup,
        seed,
        Instant.now().toString().substring(0, 10),
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("java.vm.version"));
    out.println();
    out.println(LatencySummary.header("debounce / save"));
    for (Run r : runs) {
      out.println(r.summary().row(r.debounceMillis() + " ms, all"));
      for (EditorSave kind : EditorSave.values()) {
        LatencySummary s = r.summary(kind);
        if (s != null) {
          out.println(s.row(r.debounceMillis() + " ms, " + kind.name().toLowerCase(Locale.ROOT)));
        }
      }
    }
    out.println();
  }

  private void writeCsv(List<Run> runs) throws IOException {
    List<String> lines = new ArrayList<>();
    lines.add("debounce_ms,sample,save,latency_ms");
    for (Run r : runs) {
      for (int i = 0; i < r.nanos().length; i++) {
        lines.add(
            String.format(
                Locale.ROOT,
                "%d,%d,%s,%.3f",
                r.debounceMillis(),
                i,
                r.saves()[i].name().toLowerCase(Locale.ROOT),
                r.nanos()[i] / 1e6));
      }
    }
    Path parent = csv.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Files.write(csv, lines, StandardCharsets.UTF_8);
  }
}
