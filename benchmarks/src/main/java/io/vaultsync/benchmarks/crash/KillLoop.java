package io.vaultsync.benchmarks.crash;

import io.vaultsync.benchmarks.live.CliProcess;
import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
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
 * <p>Over 400 lines: the three kill scenarios and the rules each round must keep, in one runner so
 * a reader sees them together; processes and folders are {@link CrashLab}'s and {@link
 * FolderState}'s.
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
        s, run.played, run.violations, run.remarks, Duration.ofNanos(System.nanoTime() - start));
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
    final List<String> violations = new ArrayList<>();
    final List<String> remarks = new ArrayList<>();

    /** What the writer's folder holds: every file the test wrote, with its last content. */
    final Map<String, ContentHash> written = new TreeMap<>();

    final Path writer;
    int nextNote;

    Run(Path dir, Random random, PrintStream out) throws IOException {
      this.lab = new CrashLab(dir, classpath, List.of("writer", "reader"));
      this.random = random;
      this.out = out;
      this.writer = dir.resolve("writer");
    }

    void check(boolean ok, String what) {
      if (!ok) {
        violations.add(what);
        out.println("  VIOLATION " + what);
      }
    }

    // ---- content ----

    private byte[] note(int length) {
      String[] words = {"vault", "note", "sync", "the", "a", "[[link]]", "- [ ] task", "# Title"};
      StringBuilder sb = new StringBuilder(length + 16);
      while (sb.length() < length) {
        sb.append(words[random.nextInt(words.length)]).append(random.nextInt(9) == 0 ? '\n' : ' ');
      }
      return sb.substring(0, length).getBytes(StandardCharsets.UTF_8);
    }

    private void write(String path, byte[] content) throws IOException {
      Path f = writer.resolve(path);
      Files.createDirectories(f.getParent());
      Files.write(f, content);
      written.put(path, ContentHash.digestOf(content));
    }

    /** The first vault: {@code notes} notes in a few folders and two large files. */
    void firstVault() throws IOException {
      for (int i = 0; i < notes; i++) {
        write("Notes/" + (i % 9) + "/n" + nextNote++ + ".md", note(1000 + random.nextInt(6000)));
      }
      for (int i = 0; i < (noLarge ? 0 : 2); i++) {
        byte[] big = new byte[4_500_000];
        random.nextBytes(big);
        write("Attachments/scan-" + i + ".pdf", big);
      }
    }

    /** One round of the writer's changes: new notes, edits, a delete, sometimes a large file. */
    void changeWriter(int round) throws IOException {
      for (int i = 0; i < changes; i++) {
        write("Notes/" + (i % 9) + "/n" + nextNote++ + ".md", note(1000 + random.nextInt(6000)));
      }
      List<String> notesNow = written.keySet().stream().filter(p -> p.endsWith(".md")).toList();
      for (int i = 0; i < changes / 3; i++) {
        String p = notesNow.get(random.nextInt(notesNow.size()));
        write(p, note(500 + random.nextInt(6000)));
      }
      String gone = notesNow.get(random.nextInt(notesNow.size()));
      Files.deleteIfExists(writer.resolve(gone));
      written.remove(gone);
      if (round % 3 == 0 && !noLarge) {
        byte[] big = new byte[4_500_000];
        random.nextBytes(big);
        write("Attachments/round-" + round + ".bin", big);
      }
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

    /** Runs to the end and records a violation unless it exits 0. */
    void mustSucceed(String what, CrashLab.Done d) {
      check(d.exitCode() == 0, what + " exited " + d.exitCode() + ": " + d.lines());
    }

    /** A killed or broken command ended by itself, and said why in one clear line. */
    void endedClearly(String what, CrashLab.Done d) {
      if (d.exitCode() == 0) {
        return;
      }
      check(
          d.exitCode() == 2, what + " exited " + d.exitCode() + " (expected 0 or 2): " + d.lines());
      String line = d.lastLine();
      // "cannot reach" is right when the kill came before the client's first call
      check(
          line.startsWith("vaultsync: ")
              && (line.contains("was lost")
                  || line.contains("stopped answering")
                  || line.contains("cannot reach"))
              && d.lines().stream().noneMatch(l -> l.startsWith("\tat ")),
          what + " failed without a clear one-line message: " + d.lines());
    }

    /**
     * Waits for the moment to kill: in rounds of one kind until the server stages an upload (a
     * temporary pack: a commit or push in flight), in the others a random time within {@code
     * typicalMillis} of the start, so kills also land in the client's scan and encoding.
     */
    void awaitKillMoment(int round, CliProcess p, long typicalMillis)
        throws IOException, InterruptedException {
      if (round % 4 != 3) {
        if (CrashLab.awaitTempFile(lab.packs(), p, Duration.ofSeconds(60))) {
          Thread.sleep(random.nextInt(round % 2 == 0 ? 20 : 200));
        }
      } else {
        Thread.sleep(200 + (long) (random.nextDouble() * typicalMillis));
      }
    }

    // ---- checks ----

    /** Every change the server acknowledged is in its ledger, as acknowledged. */
    void nothingAcknowledgedLost(String when) throws IOException {
      Map<Long, Change> ledger = new TreeMap<>();
      for (Change c : lab.ledger()) {
        ledger.put(c.seq(), c);
      }
      for (Change heard : lab.acks.heard().values()) {
        Change now = ledger.get(heard.seq());
        check(
            now != null
                && now.op() == heard.op()
                && now.path().equals(heard.path())
                && Objects.equals(now.previousPath(), heard.previousPath())
                && now.hash().equals(heard.hash()),
            when
                + ": acknowledged change "
                + heard.seq()
                + " "
                + heard.op()
                + " "
                + heard.path()
                + " is "
                + (now == null ? "gone" : "now " + now));
      }
    }

    /** Every version a client's index records as synced was committed (is in the ledger). */
    void indexIsCommitted(Path replica, String when) throws IOException {
      if (!Files.isDirectory(replica.resolve(FolderState.STATE_FOLDER))) {
        return;
      }
      LocalIndex index = StateFolder.of(replica).readIndex();
      List<Change> ledger = lab.ledger();
      Set<String> versions = new HashSet<>();
      long head = 0;
      for (Change c : ledger) {
        versions.add(c.path().value() + "\u0000" + c.hash().hex());
        head = c.seq();
      }
      check(
          index.lastSeq() <= head,
          when
              + ": "
              + replica.getFileName()
              + "'s index is at seq "
              + index.lastSeq()
              + ", the ledger ends at "
              + head);
      for (IndexEntry e : index.entries().values()) {
        check(
            versions.contains(e.path().value() + "\u0000" + e.hash().hex()),
            when
                + ": "
                + replica.getFileName()
                + "'s index records "
                + e.path()
                + " at "
                + e.hash().hex().substring(0, 12)
                + ", which the server never committed");
      }
    }

    /** {@code replica} equals the head, with no temporary file left in sight. */
    void equalsHead(Path replica, String when) throws IOException {
      FolderState f = FolderState.of(replica);
      Map<String, ContentHash> head = lab.head();
      check(
          f.files().equals(head),
          when + ": " + replica.getFileName() + " differs from the head: " + diff(f.files(), head));
    }

    /** No file of a killed replica is partial: each is one of the versions it may hold. */
    void noPartialFile(
        Path replica, Map<String, ContentHash> before, Map<String, ContentHash> after, String when)
        throws IOException {
      FolderState f = FolderState.of(replica);
      for (Map.Entry<String, ContentHash> e : f.files().entrySet()) {
        ContentHash h = e.getValue();
        check(
            h.equals(before.get(e.getKey())) || h.equals(after.get(e.getKey())),
            when
                + ": "
                + replica.getFileName()
                + "/"
                + e.getKey()
                + " is neither its old nor its"
                + " new version (a partial or foreign file)");
      }
    }

    /** The master folder catches up with the head (the mirror runs after the acknowledgement). */
    void masterFolderEqualsHead(String when) throws IOException, InterruptedException {
      Map<String, ContentHash> head = lab.head();
      long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      FolderState m = FolderState.of(lab.masterFolder());
      while (!m.files().equals(head) && System.nanoTime() < end) {
        Thread.sleep(200);
        m = FolderState.of(lab.masterFolder());
      }
      check(
          m.files().equals(head),
          when + ": the master folder differs from the head: " + diff(m.files(), head));
    }

    private String diff(Map<String, ContentHash> got, Map<String, ContentHash> want) {
      List<String> d = new ArrayList<>();
      for (String p : want.keySet()) {
        if (!got.containsKey(p)) {
          d.add("missing " + p);
        } else if (!got.get(p).equals(want.get(p))) {
          d.add("differs " + p);
        }
      }
      for (String p : got.keySet()) {
        if (!want.containsKey(p)) {
          d.add("extra " + p);
        }
      }
      return d.size() + " paths " + d.subList(0, Math.min(8, d.size()));
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
      mustSucceed("final clone", lab.run("clone", COMMAND_DEADLINE, cloneArgs(fresh)));
      equalsHead(fresh, "end");
      for (Path r : replicas) {
        equalsHead(r, "end");
      }
      masterFolderEqualsHead("end");
      nothingAcknowledgedLost("end");
    }

    // ---- the scenarios ----

    void serverMidUpload() throws IOException, InterruptedException {
      lab.startServer();
      firstVault();
      mustSucceed("init", initWriter());
      lab.observe();
      long typical = 2000;
      for (int round = 1; round <= rounds; round++) {
        changeWriter(round);
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
        endedClearly("round " + round + " sync", d);
        check(
            FolderState.of(writer).files().equals(written),
            "round " + round + ": the writer's own folder changed");
        if (!restartAtOnce) {
          lab.startServer();
        }
        lab.observe();
        nothingAcknowledgedLost("round " + round);
        indexIsCommitted(writer, "round " + round);
        // mid-upload: the server was staging content, or the client was sending it when it died
        boolean mid =
            uploading
                || d.exitCode() != 0
                    && (d.lastLine().contains("while committing")
                        || d.lastLine().contains("while uploading"));
        record(round, mid, d, killAfter);
        CrashLab.Done rerun = lab.run("sync", COMMAND_DEADLINE, "sync", writer.toString());
        mustSucceed("round " + round + " rerun", rerun);
        typical = Math.max(500, rerun.took().toMillis());
        check(
            lab.head().equals(written), "round " + round + ": the head is not the writer's folder");
      }
      finalChecks(List.of(writer));
    }

    void clientMidSync() throws IOException, InterruptedException {
      lab.startServer();
      firstVault();
      mustSucceed("init", initWriter());
      lab.observe();
      Path reader = lab.root.resolve("reader");
      mustSucceed("clone", lab.run("clone", COMMAND_DEADLINE, cloneArgs(reader)));
      long cleanMillis = 2000;
      for (int round = 1; round <= rounds; round++) {
        changeWriter(round);
        if (round % 2 == 1) { // the uploader is killed
          long start = System.nanoTime();
          CliProcess sync = lab.start("sync-writer", "sync", writer.toString());
          awaitKillMoment((round - 1) / 2, sync, cleanMillis);
          boolean uploading = sync.isAlive() && CrashLab.hasTempFile(lab.packs(), 1);
          long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
          sync.kill();
          check(
              FolderState.of(writer).files().equals(written),
              "round " + round + ": the killed writer's own folder changed");
          indexIsCommitted(writer, "round " + round);
          record(round, uploading, null, killAfter);
          CrashLab.Done rerun = lab.run("sync", COMMAND_DEADLINE, "sync", writer.toString());
          mustSucceed("round " + round + " rerun", rerun);
          cleanMillis = Math.max(500, rerun.took().toMillis());
          check(
              lab.head().equals(written),
              "round " + round + ": the head is not the writer's folder");
        } else { // the downloader is killed
          Map<String, ContentHash> old = FolderState.of(reader).files();
          CrashLab.Done up = lab.run("sync", COMMAND_DEADLINE, "sync", writer.toString());
          mustSucceed("round " + round + " upload", up);
          Map<String, ContentHash> next = lab.head();
          long start = System.nanoTime();
          CliProcess sync = lab.start("sync-reader", "sync", reader.toString());
          if (round % 8 != 0) { // once it writes its first temporary file, or at random
            if (CrashLab.awaitTempFile(reader, sync, Duration.ofSeconds(60))) {
              Thread.sleep(random.nextInt(50));
            }
          } else {
            Thread.sleep(300 + (long) (random.nextDouble() * cleanMillis));
          }
          boolean alive = sync.isAlive();
          FolderState atKill = FolderState.of(reader);
          long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
          sync.kill();
          noPartialFile(reader, old, next, "round " + round);
          boolean mid = alive && (!atKill.tempFiles().isEmpty() || !atKill.files().equals(old));
          record(round, mid, null, killAfter);
          CrashLab.Done rerun = lab.run("sync", COMMAND_DEADLINE, "sync", reader.toString());
          mustSucceed("round " + round + " rerun", rerun);
          equalsHead(reader, "round " + round);
        }
      }
      mustSucceed("last reader sync", lab.run("sync", COMMAND_DEADLINE, "sync", reader.toString()));
      finalChecks(List.of(writer, reader));
    }

    void clientMidClone() throws IOException, InterruptedException {
      lab.startServer();
      firstVault();
      for (int i = 0; i < 3 * changes; i++) { // a clone of about 3 MB of notes and 9 MB of files
        write("More/m" + i + ".md", note(1000 + random.nextInt(6000)));
      }
      mustSucceed("init", initWriter());
      lab.observe();
      Map<String, ContentHash> head = lab.head();
      Path first = lab.root.resolve("clone-0");
      CrashLab.Done whole = lab.run("clone", COMMAND_DEADLINE, cloneArgs(first));
      mustSucceed("a whole clone", whole);
      long cloneMillis = whole.took().toMillis();
      out.printf("  a whole clone takes %d ms%n", cloneMillis);
      List<Path> replicas = new ArrayList<>(List.of(writer, first));
      for (int round = 1; round <= rounds; round++) {
        Path dir = lab.root.resolve("clone-" + round);
        long start = System.nanoTime();
        CliProcess clone = lab.start("clone", cloneArgs(dir));
        if (round % 3 != 0) { // once it writes its first temporary file, or at random
          if (CrashLab.awaitTempFile(dir, clone, Duration.ofSeconds(60))) {
            Thread.sleep(random.nextInt(100));
          }
        } else {
          Thread.sleep(200 + (long) (random.nextDouble() * cloneMillis));
        }
        boolean alive = clone.isAlive();
        long killAfter = Duration.ofNanos(System.nanoTime() - start).toMillis();
        clone.kill();
        FolderState atKill = FolderState.of(dir);
        noPartialFile(dir, Map.of(), head, "round " + round);
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
            setUp
                ? lab.run("sync", COMMAND_DEADLINE, "sync", dir.toString())
                : lab.run("clone", COMMAND_DEADLINE, cloneArgs(dir));
        mustSucceed("round " + round + " rerun (" + (setUp ? "sync" : "clone") + ")", rerun);
        equalsHead(dir, "round " + round);
        indexIsCommitted(dir, "round " + round);
        replicas.add(dir);
      }
      finalChecks(replicas);
    }
  }
}
