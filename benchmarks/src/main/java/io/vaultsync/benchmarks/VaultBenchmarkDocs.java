package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.VaultBenchmark.Result;
import io.vaultsync.benchmarks.wan.Link;
import io.vaultsync.benchmarks.wan.LinkOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The one command behind {@code docs/benchmarks.md}: {@link VaultBenchmark} at each size over each
 * link (loopback, then the WAN-shaped link; every tool, every scenario), then {@link
 * BenchmarkDocs}. The runs per size and link come from a {@link RunPlan} that fits the default run
 * into 35 minutes; the estimate is printed first. {@code benchmarks/run-vault-benchmarks.sh} builds
 * the jar and runs this.
 */
@Command(
    name = "VaultBenchmarkDocs",
    mixinStandardHelpOptions = true,
    description = "Runs the vault benchmark at several sizes and writes docs/benchmarks.md.")
public final class VaultBenchmarkDocs implements Callable<Integer> {
  /**
   * Disk one run of one tool takes per note: three copies of the vault (A, B, and the server's
   * store or the daemon's folder) at ~6.5–8 KB a note on disk (median ~2 KB of text in 4 KB blocks,
   * folders, a few large notes); measured: 64 MB per run of the three tools at 1,000 notes, 1.2 GB
   * per vaultsync run at 50,000.
   */
  static final long BYTES_PER_NOTE_AND_TOOL = 24 * 1024;

  @Option(
      names = "--sizes",
      split = ",",
      description = "Notes per vault, comma-separated (default ${DEFAULT-VALUE}).")
  List<Integer> sizes = new ArrayList<>(List.of(1000, 10000, 50000));

  @Option(
      names = "--runs",
      description =
          "Runs per size and link (default: 5 over loopback, 3 over the WAN link; above 20,000"
              + " notes 3 and 1).")
  int runs;

  @Option(
      names = "--wan-runs",
      description = "Runs per size over the WAN link (default: --runs, else the plan).")
  int wanRuns;

  @Option(
      names = "--links",
      split = ",",
      description = "Links to run, in order: loopback, wan (default ${DEFAULT-VALUE}).")
  List<String> links = new ArrayList<>(List.of("loopback", "wan"));

  @Mixin LinkOptions linkOptions = new LinkOptions();

  @Option(names = "--seed", description = "Generator seed (default ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(
      names = "--out",
      description = "The Markdown file; charts and CSV go beside it (default ${DEFAULT-VALUE}).")
  Path out = Path.of("docs/benchmarks.md");

  @Option(
      names = "--work",
      description = "Work folder (default: a temporary folder, removed at the end).")
  Path work;

  @Option(names = "--no-rsync", description = "vaultsync only.")
  boolean noRsync;

  @Option(
      names = "--live-edits",
      description = "Measured live edits per run (default ${DEFAULT-VALUE}).")
  int liveEdits = 20;

  @Option(
      names = "--command",
      description =
          "The command line to print in the report (default: this class and its options).")
  String command;

  @Option(names = "--classpath", hidden = true)
  String classpath = System.getProperty("java.class.path");

  public static void main(String[] args) {
    VaultBenchmarkDocs docs = new VaultBenchmarkDocs();
    // set before picocli records the fields' initial values; --command overrides it
    docs.command =
        "java -cp benchmarks.jar "
            + VaultBenchmarkDocs.class.getName()
            + (args.length == 0 ? "" : " " + String.join(" ", args));
    System.exit(new CommandLine(docs).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Result> results = measure(System.out);
    return results.stream().allMatch(Result::converged) ? 0 : 1;
  }

  /** Runs every size and writes the docs; the results, smallest size first. */
  List<Result> measure(PrintStream log) throws IOException, InterruptedException {
    if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1) || runs < 0 || wanRuns < 0) {
      throw new IllegalArgumentException(
          "sizes "
              + sizes
              + ", runs "
              + runs
              + ", wan runs "
              + wanRuns
              + "; expected sizes >= 1 and runs >= 1");
    }
    linkList(); // a bad --links fails before any work
    List<Integer> sorted = sizes.stream().sorted().toList();
    return WorkDir.use(work, "vaultsync-docs-bench", dir -> measure(dir, sorted, log));
  }

  /** The links of {@code --links}, in order. */
  List<Link> linkList() {
    List<Link> out = new ArrayList<>();
    for (String name : links) {
      out.add(linkOptions.link(name));
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException("--links is empty: expected loopback, wan or both");
    }
    return out;
  }

  RunPlan plan() {
    return new RunPlan(runs, wanRuns > 0 ? wanRuns : runs, !noRsync);
  }

  private List<Result> measure(Path dir, List<Integer> sorted, PrintStream log)
      throws IOException, InterruptedException {
    List<Link> linkList = linkList();
    RunPlan plan = plan();
    long need = 0;
    int tools = noRsync ? 1 : 3;
    for (int n : sorted) {
      for (Link link : linkList) {
        need += n * BYTES_PER_NOTE_AND_TOOL * plan.runs(n, link) * tools;
      }
    }
    double estimate = plan.estimateSeconds(sorted, linkList);
    log.printf(
        Locale.ROOT,
        "plan: %s; estimate %.0f min on a quiet machine at the speeds of 2026-11-26%n",
        plan.describe(sorted, linkList),
        estimate / 60);
    long free = Files.getFileStore(dir).getUsableSpace();
    log.printf(
        Locale.ROOT,
        "work %s: %.1f GB free, about %.2f GB needed (nothing is deleted until the end)%n",
        dir,
        free / 1e9,
        need / 1e9);
    if (need > free) {
      throw new IOException(
          String.format(
              Locale.ROOT,
              "%s has %.1f GB free, the benchmark needs about %.1f GB; free space or use --work",
              dir,
              free / 1e9,
              need / 1e9));
    }
    MachineInfo machine = MachineInfo.of(dir);
    Instant date = Instant.now();
    List<Result> results = new ArrayList<>();
    List<String> methods = new ArrayList<>();
    StringBuilder times = new StringBuilder();
    times.append("| notes | link | runs | estimate s | took s |\n|---:|---|---:|---:|---:|\n");
    long start = System.nanoTime();
    for (int n : sorted) {
      for (Link link : linkList) {
        VaultBenchmark b = new VaultBenchmark();
        b.notes = n;
        b.runs = plan.runs(n, link);
        b.seed = seed;
        b.noRsync = noRsync;
        b.liveEdits = liveEdits;
        b.classpath = classpath;
        b.linkName = link.key();
        b.linkOptions = linkOptions;
        b.work = dir.resolve("notes-" + n + (link.shaped() ? "-" + link.key() : ""));
        long t0 = System.nanoTime();
        results.add(b.measure(log));
        double took = (System.nanoTime() - t0) / 1e9;
        double est = plan.estimateSeconds(n, link, b.runs);
        log.printf(
            Locale.ROOT, "%,d notes, %s: %.0f s (estimate %.0f s)%n", n, link.label(), took, est);
        times.append(
            String.format(
                Locale.ROOT,
                "| %,d | %s | %d | %.0f | %.0f |%n",
                n,
                link.label(),
                b.runs,
                est,
                took));
      }
    }
    double total = (System.nanoTime() - start) / 1e9;
    log.printf(Locale.ROOT, "all: %.1f min (estimate %.1f min)%n", total / 60, estimate / 60);
    String runsText =
        String.format(
                Locale.ROOT,
                "Runs: %s, chosen so the default run fits in 35 minutes on a quiet machine (over"
                    + " the WAN link the bytes of init and clone take most of the time: at 50,000"
                    + " notes plain rsync moves ~200 MB each, ~82 s apiece at 20 Mbit/s; a single"
                    + " run has no median, so its figures are noisier). Estimated %.0f min before"
                    + " the run (`RunPlan`, from the speeds of 2026-11-26), took %.1f min:%n%n",
                plan.describe(sorted, linkList),
                estimate / 60,
                total / 60)
            + times;
    methods.add(
        "vaultsync: the server (`vaultsync server`) in its own JVM; CPU = utime + stime from"
            + " `/proc/PID/stat` over the scenario, peak RSS = `VmHWM` after resetting it through"
            + " `/proc/PID/clear_refs`");
    if (!noRsync && RsyncTool.installed()) {
      methods.add(
          "rsync: a new `rsync --daemon --no-detach` per scenario under GNU time, stopped once its"
              + " connection children ended; GNU time's figures come from `wait4`, so its CPU"
              + " includes the children it waited for and its max RSS is the largest of the"
              + " daemon and any child (without GNU time: CPU from `/proc/PID/stat`, RSS n/a)");
    }
    for (Path p : BenchmarkDocs.write(out, date, machine, command, methods, runsText, results)) {
      log.println("wrote " + p);
    }
    return results;
  }
}
