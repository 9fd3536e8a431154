package io.vaultsync.benchmarks.crash;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * The rules every round of the kill loops must keep, checked against a {@link CrashLab}: nothing
 * acknowledged lost, no index ahead of the ledger, no partial file, replicas and the master folder
 * equal to the head, every broken command ending clearly. A broken rule is recorded (and printed)
 * as a violation; the loop goes on.
 */
final class RoundChecks {
  private final CrashLab lab;
  private final PrintStream out;
  private final List<String> violations = new ArrayList<>();

  RoundChecks(CrashLab lab, PrintStream out) {
    this.lab = lab;
    this.out = out;
  }

  /** The rules broken so far, in order. */
  List<String> violations() {
    return violations;
  }

  void check(boolean ok, String what) {
    if (!ok) {
      violations.add(what);
      out.println("  VIOLATION " + what);
    }
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
    check(d.exitCode() == 2, what + " exited " + d.exitCode() + " (expected 0 or 2): " + d.lines());
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
    Set<String> versions = new HashSet<>();
    long head = 0;
    for (Change c : lab.ledger()) {
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

  private static String diff(Map<String, ContentHash> got, Map<String, ContentHash> want) {
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
}
