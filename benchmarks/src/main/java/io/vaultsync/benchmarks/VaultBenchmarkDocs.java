package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.VaultBenchmark.Result;
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
import picocli.CommandLine.Option;

/**
 * The one command behind {@code docs/benchmarks.md}: {@link VaultBenchmark} at each size (every
 * tool, every scenario), then {@link BenchmarkDocs}. {@code benchmarks/run-vault-benchmarks.sh}
 * builds the jar and runs this.
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

  @Option(names = "--runs", description = "Runs per size (default ${DEFAULT-VALUE}).")
  int runs = 5;

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
    if (sizes.isEmpty() || sizes.stream().anyMatch(n -> n < 1) || runs < 1) {
      throw new IllegalArgumentException(
          "sizes " + sizes + ", runs " + runs + "; expected sizes >= 1 and runs >= 1");
    }
    List<Integer> sorted = sizes.stream().sorted().toList();
    return WorkDir.use(work, "vaultsync-docs-bench", dir -> measure(dir, sorted, log));
  }

  private List<Result> measure(Path dir, List<Integer> sorted, PrintStream log)
      throws IOException, InterruptedException {
    long need = 0;
    int tools = noRsync ? 1 : 3;
    for (int n : sorted) {
      need += n * BYTES_PER_NOTE_AND_TOOL * runs * tools;
    }
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
    for (int n : sorted) {
      VaultBenchmark b = new VaultBenchmark();
      b.notes = n;
      b.runs = runs;
      b.seed = seed;
      b.noRsync = noRsync;
      b.liveEdits = liveEdits;
      b.classpath = classpath;
      b.work = dir.resolve("notes-" + n);
      long t0 = System.nanoTime();
      results.add(b.measure(log));
      log.printf(Locale.ROOT, "%,d notes: %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
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
    for (Path p : BenchmarkDocs.write(out, date, machine, command, methods, results)) {
      log.println("wrote " + p);
    }
    return results;
  }
}
