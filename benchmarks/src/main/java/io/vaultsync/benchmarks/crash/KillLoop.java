package io.vaultsync.benchmarks.crash;

import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * kill -9 loops (issue 12): real processes (a {@code vaultsync server} JVM, CLI commands in their
 * own JVMs), killed with SIGKILL at seeded random moments of a transfer, restarted, rerun; after
 * every round and at the end it checks that nothing was lost:
 *
 * <ul>
 *   <li>{@code server-mid-upload}: the server is killed while a client uploads a round of changes
 *       (new notes, edits, a delete, every third round a 4.5 MB file that streams as a push). After
 *       the restart every change the server had acknowledged is still in its ledger, every version
 *       the client's index records was committed, the client's folder is as the test wrote it; the
 *       rerun makes the head equal to it.
 *   <li>{@code client-mid-sync}: the server stays up; the uploading client is killed mid-sync (odd
 *       rounds) or a downloading one (even rounds). Nothing of the uploader's folder changes, no
 *       file of the downloader is ever partial (each is its old or its new version), and a rerun
 *       converges.
 *   <li>{@code client-mid-clone}: a clone is killed at a random moment; no file it left is partial
 *       (each equals the head's), and a rerun (sync in the folder if the clone had set it up, else
 *       clone again: rerunning clone into its folder is another item) converges.
 * </ul>
 *
 * At the end of each scenario every replica, a fresh clone and the server's master folder equal the
 * head. Each broken command must end by itself within 3 minutes, with exit 0 or 2 (a clear one-line
 * error). The report counts the kills that landed mid-transfer.
 *
 * <p>Over 400 lines: the options and the three scenarios, each a sequence of kill, restart and
 * checks that reads best whole and next to the others; the rules each round must keep are {@link
 * RoundChecks}, the writer's content {@link WriterFolder}, processes and folders {@link CrashLab}'s
 * and {@link FolderState}'s.
 */
@Command(
    name = "kill-loop",
    mixinStandardHelpOptions = true,
    description =
        "kill -9 rounds of the server and of clients mid-transfer; checks nothing is lost.")
public final class KillLoop implements Callable<Integer> {
  /** The three loops. */
  public enum Scenario {
    SERVER_MID_UPLOAD,
    CLIENT_MID_SYNC,
    CLIENT_MID_CLONE
  }

  @Option(names = "--rounds", description = "Rounds per scenario (default ${DEFAULT-VALUE}).")
  int rounds = 20;

  @Option(names = "--notes", description = "Notes in the first vault (default ${DEFAULT-VALUE}).")
  int notes = 400;

  @Option(
      names = "--changes",
      description = "New notes per round, plus a third as many edits (default ${DEFAULT-VALUE}).")
  int changes = 120;

  @Option(
      names = "--no-large",
      description = "No 4.5 MB files (which stream as pushes and single fetches).")
  boolean noLarge;

  @Option(
      names = "--seed",
      description = "Seed of the content and kill times (default ${DEFAULT-VALUE}).")
  long seed = 20261207L;

  @Option(names = "--work", required = true, description = "Work folder (created).")
  Path work;

  @Option(
      names = "--scenario",
      split = ",",
      converter = ScenarioName.class,
      description =
          "Scenarios, comma-separated: server-mid-upload, client-mid-sync, client-mid-clone"
              + " (default: all).")
  List<Scenario> scenarios = List.of(Scenario.values());

  /** {@code server-mid-upload} as {@link Scenario#SERVER_MID_UPLOAD}. */
  static final class ScenarioName implements CommandLine.ITypeConverter<Scenario> {
    @Override
    public Scenario convert(String value) {
      try {
        return Scenario.valueOf(value.strip().toUpperCase(java.util.Locale.ROOT).replace('-', '_'));
      } catch (IllegalArgumentException e) {
        throw new CommandLine.TypeConversionException(
            "scenario \""
                + value
                + "\"; expected server-mid-upload, client-mid-sync or"
                + " client-mid-clone");
      }
    }
  }

  @Option(names = "--classpath", description = "Class path of the CLI (default: this JVM's).")
  String classpath = System.getProperty("java.class.path");

  /** How long a broken command may take to end by itself. */
  static final Duration COMMAND_DEADLINE = Duration.ofMinutes(3);

  /** One round. */
  public record Round(
      int round, boolean midTransfer, int exitCode, String message, long killAfterMillis) {}

  /** One scenario's outcome. */
  public record Report(
      Scenario scenario,
      List<Round> rounds,
      List<String> violations,
      List<String> notes,
      Duration took) {
    public long midTransfer() {
      return rounds.stream().filter(Round::midTransfer).count();
    }
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new KillLoop()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Report> reports = run(System.out);
    return reports.stream().allMatch(r -> r.violations().isEmpty()) ? 0 : 1;
  }

  /** Runs the scenarios, printing each round; the reports. */
  public List<Report> run(PrintStream out) throws IOException, InterruptedException {
    List<Report> reports = new ArrayList<>();
    for (Scenario s : EnumSet.copyOf(scenarios)) {
      out.printf(
          "== %s: %d rounds, seed %d%n", s.name().toLowerCase().replace('_', '-'), rounds, seed);
      Report r = run(s, out);
      out.printf(
          "== %s: %d of %d kills mid-transfer, %d violations, %d s%n",
          s.name().toLowerCase().replace('_', '-'),
          r.midTransfer(),
          r.rounds().size(),
          r.violations().size(),
          r.took().toSeconds());
      r.violations().forEach(v -> out.println("VIOLATION " + v));
      r.notes().forEach(n -> out.println("NOTE " + n));
      reports.add(r);
    }
    return reports;
  }

  Report run(Scenario s, PrintStream out) throws IOException, InterruptedException {
    long start = System.nanoTime();
    Path dir = work.resolve(s.name().toLowerCase());
    Run run = new Run(dir, new Random(seed ^ s.ordinal()), out);
    try {
      switch (s) {
        case SERVER_MID_UPLOAD -> run.serverMidUpload();
        case CLIENT_MID_SYNC -> run.clientMidSync();
        case CLIENT_MID_CLONE -> run.clientMidClone();
      }
    } finally {
      run.lab.close();
    }
    return new Report(
        s,
        run.played,
        run.checks.violations(),
        run.remarks,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static void deleteTree(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }

  /** One scenario's state. */
  private final class Run {
    final CrashLab lab;
    final Random random;
    final PrintStream out;
    final List<Round> played = new ArrayList<>();
    final List<String> remarks = new ArrayList<>();
    final RoundChecks checks;
    final WriterFolder folder;
    final Path writer;

    Run(Path dir, Random random, PrintStream out) throws IOException {
      this.lab = new CrashLab(dir, classpath, List.of("writer", "reader"));
      this.random = random;
      this.out = out;
      this.checks = new RoundChecks(lab, out);
      this.writer = dir.resolve("writer");
      this.folder = new WriterFolder(writer, random, changes, !noLarge);
    }

    // ---- commands ----

    CrashLab.Done initWriter() throws IOException, InterruptedException {
      return lab.run(
          "init",
          COMMAND_DEADLINE,
          "init",
          writer.toString(),
          "--server",
          lab.url(),
          "--vault",
          CrashLab.VAULT,
          "--token",
          lab.token("writer"),
          "--device",
          "writer");
    }

    String[] cloneArgs(Path dir) {
      return new String[] {
        "clone",
        lab.url(),
        CrashLab.VAULT,
        dir.toString(),
        "--token",
        lab.token("reader"),
        "--device",
        "reader-" + dir.getFileName()
      };
    }

    /** {@code vaultsync sync} in {@code dir}, to the end. */
    CrashLab.Done sync(Path dir) throws IOException, InterruptedException {
      return lab.run("sync", COMMAND_DEADLINE, "sync", dir.toString());
    }

    /**
     * Reruns the writer's sync after a kill; it must succeed and leave the head equal to the
     * writer's folder. How long it took, in ms.
     */
    long rerunWriter(int round) throws IOException, InterruptedException {
      CrashLab.Done rerun = sync(writer);
      checks.mustSucceed("round " + round + " rerun", rerun);
      checks.check(
          lab.head().equals(folder.written()),
          "round " + round + ": the head is not the writer's folder");
      return rerun.took().toMillis();
    }

    /** The server up, the first vault written and uploaded, its feed followed. */
    void firstVaultUploaded(int extraNotes) throws IOException, InterruptedException {
      lab.startServer();
      folder.firstVault(notes);
      for (int i = 0; i < extraNotes; i++) {
        folder.writeNote("More/m" + i + ".md");
      }
      checks.mustSucceed("init", initWriter());
      lab.observe();
    }

    /**
     * Waits for the moment to kill: in rounds of one kind until the server stages an upload (a
     * temporary pack: a commit or push in flight), in the others a random time within {@code
     * typicalMillis} of the start, so kills also land in the client's scan and encoding.
     */
    void awaitKillMoment(int round, CliProcess p, long typicalMillis)
        throws IOException, InterruptedException {
      awaitKillMoment(
          round % 4 != 3, lab.packs(), p, round % 2 == 0 ? 20 : 200, 200, typicalMillis);
    }

    /**
     * Waits for the moment to kill {@code p}: when {@code onTempFile}, until a temporary file shows
     * in {@code watched} and then up to {@code jitterMillis} more; else {@code floorMillis} plus a
     * random part of {@code typicalMillis}.
     */
    void awaitKillMoment(
        boolean onTempFile,
        Path watched,
        CliProcess p,
        int jitterMillis,
        long floorMillis,
        long typicalMillis)
        throws IOException, InterruptedException {
      if (onTempFile) {
        if (CrashLab.awaitTempFile(watched, p, Duration.ofSeconds(60))) {
          Thread.sleep(random.nextInt(jitterMillis));
        }
      } else {
        Thread.sleep(floorMillis + (long) (random.nextDouble() * typicalMillis));
      }
    }

    void record(int round, boolean mid, CrashLab.Done d, long killAfter) {
      Round r =
          new Round(
              round, mid, d == null ? -1 : d.exitCode(), d == null ? "" : d.lastLine(), killAfter);
      played.add(r);
      out.printf(
          "  round %2d: killed after %4d ms, %s%s%n",
          round,
          killAfter,
          mid ? "mid-transfer" : "not mid-transfer",
          d == null
              ? ""
              : ", the client's command exited "
                  + r.exitCode()
                  + (r.exitCode() != 0 ? ": " + r.message() : ""));
    }

    /** The end of every scenario: a fresh clone, every replica and the master folder. */
    void finalChecks(List<Path> replicas) throws IOException, InterruptedException {
      Path fresh = lab.root.resolve("final-clone");
      checks.mustSucceed("final clone", lab.run("clone", COMMAND_DEADLINE, cloneArgs(fresh)));
      checks.equalsHead(fresh, "end");
      for (Path r : replicas) {
        checks.equalsHead(r, "end");
      }
      checks.masterFolderEqualsHead("end");
      checks.nothingAcknowledgedLost("end");
    }

    // ---- the scenarios ----

    void serverMidUpload() throws IOException, InterruptedException {
      firstVaultUploaded(0);
      long typical = 2000;
      for (int round = 1; round <= rounds; round++) {
        folder.change(round);
        long start = System.nanoTime();
        CliProcess sync = lab.start("sync", "sync", writer.toString());
        awaitKillMoment(round, sync, typical);
        // mid-upload: the server was staging the client's content when it died
        boolean uploading = sync.isAlive() && CrashLab.hasTempFile(lab.packs(), 1);
        long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
        lab.killServer();
        boolean restartAtOnce = round % 3 == 1; // the client may then get through on a retry
        if (restartAtOnce) {
          lab.startServer();
        }
        CrashLab.Done d = CrashLab.finish(sync, COMMAND_DEADLINE, start);
        checks.endedClearly("round " + round + " sync", d);
        checks.check(
            FolderState.of(writer).files().equals(folder.written()),
            "round " + round + ": the writer's own folder changed");
        if (!restartAtOnce) {
          lab.startServer();
        }
        lab.observe();
        checks.nothingAcknowledgedLost("round " + round);
        checks.indexIsCommitted(writer, "round " + round);
        // mid-upload: the server was staging content, or the client was sending it when it died
        boolean mid =
            uploading
                || d.exitCode() != 0
                    && (d.lastLine().contains("while committing")
                        || d.lastLine().contains("while uploading"));
        record(round, mid, d, killAfter);
        typical = Math.max(500, rerunWriter(round));
      }
      finalChecks(List.of(writer));
    }

    void clientMidSync() throws IOException, InterruptedException {
      firstVaultUploaded(0);
      Path reader = lab.root.resolve("reader");
      checks.mustSucceed("clone", lab.run("clone", COMMAND_DEADLINE, cloneArgs(reader)));
      long cleanMillis = 2000;
      for (int round = 1; round <= rounds; round++) {
        folder.change(round);
        if (round % 2 == 1) { // the uploader is killed
          long start = System.nanoTime();
          CliProcess sync = lab.start("sync-writer", "sync", writer.toString());
          awaitKillMoment((round - 1) / 2, sync, cleanMillis);
          boolean uploading = sync.isAlive() && CrashLab.hasTempFile(lab.packs(), 1);
          long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
          sync.kill();
          checks.check(
              FolderState.of(writer).files().equals(folder.written()),
              "round " + round + ": the killed writer's own folder changed");
          checks.indexIsCommitted(writer, "round " + round);
          record(round, uploading, null, killAfter);
          cleanMillis = Math.max(500, rerunWriter(round));
        } else { // the downloader is killed
          Map<String, ContentHash> old = FolderState.of(reader).files();
          CrashLab.Done up = sync(writer);
          checks.mustSucceed("round " + round + " upload", up);
          Map<String, ContentHash> next = lab.head();
          long start = System.nanoTime();
          CliProcess sync = lab.start("sync-reader", "sync", reader.toString());
          // once it writes its first temporary file, or at random
          awaitKillMoment(round % 8 != 0, reader, sync, 50, 300, cleanMillis);
          boolean alive = sync.isAlive();
          FolderState atKill = FolderState.of(reader);
          long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
          sync.kill();
          checks.noPartialFile(reader, old, next, "round " + round);
          boolean mid = alive && (!atKill.tempFiles().isEmpty() || !atKill.files().equals(old));
          record(round, mid, null, killAfter);
          CrashLab.Done rerun = sync(reader);
          checks.mustSucceed("round " + round + " rerun", rerun);
          checks.equalsHead(reader, "round " + round);
        }
      }
      checks.mustSucceed("last reader sync", sync(reader));
      finalChecks(List.of(writer, reader));
    }

    void clientMidClone() throws IOException, InterruptedException {
      firstVaultUploaded(3 * changes); // a clone of about 3 MB of notes and 9 MB of files
      Map<String, ContentHash> head = lab.head();
      Path first = lab.root.resolve("clone-0");
      CrashLab.Done whole = lab.run("clone", COMMAND_DEADLINE, cloneArgs(first));
      checks.mustSucceed("a whole clone", whole);
      long cloneMillis = whole.took().toMillis();
      out.printf("  a whole clone takes %d ms%n", cloneMillis);
      List<Path> replicas = new ArrayList<>(List.of(writer, first));
      for (int round = 1; round <= rounds; round++) {
        Path dir = lab.root.resolve("clone-" + round);
        long start = System.nanoTime();
        CliProcess clone = lab.start("clone", cloneArgs(dir));
        // once it writes its first temporary file, or at random
        awaitKillMoment(round % 3 != 0, dir, clone, 100, 200, cloneMillis);
        boolean alive = clone.isAlive();
        long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
        clone.kill();
        FolderState atKill = FolderState.of(dir);
        checks.noPartialFile(dir, Map.of(), head, "round " + round);
        boolean mid =
            alive
                && (!atKill.tempFiles().isEmpty() || !atKill.files().isEmpty())
                && !atKill.files().equals(head);
        record(round, mid, null, killAfter);
        boolean setUp = Files.isDirectory(dir.resolve(FolderState.STATE_FOLDER));
        if (setUp && !Files.exists(dir.resolve(FolderState.STATE_FOLDER).resolve("config"))) {
          // killed while the clone wrote its state folder: neither clone (the folder is not
          // empty) nor sync (no config) can rerun there; that is issue 12's item 12, not this
          // loop's: noted, the folder removed and cloned again
          String n =
              "round "
                  + round
                  + ": the killed clone left "
                  + dir.getFileName()
                  + "/.vaultsync without its config; neither clone nor sync reruns there";
          remarks.add(n);
          out.println("  NOTE " + n);
          deleteTree(dir);
          setUp = false;
        }
        CrashLab.Done rerun =
            setUp ? sync(dir) : lab.run("clone", COMMAND_DEADLINE, cloneArgs(dir));
        checks.mustSucceed("round " + round + " rerun (" + (setUp ? "sync" : "clone") + ")", rerun);
        checks.equalsHead(dir, "round " + round);
        checks.indexIsCommitted(dir, "round " + round);
        replicas.add(dir);
      }
      finalChecks(replicas);
    }
  }
}
