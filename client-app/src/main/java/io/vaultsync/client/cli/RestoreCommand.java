package io.vaultsync.client.cli;

import io.vaultsync.client.remote.WireCounter;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.RestorePlan;
import io.vaultsync.client.sync.Restorer;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.HistoryProtocol;
import io.vaultsync.protocol.VaultTransport;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vaultsync restore DIR PATH --at SEQ|TIME} and {@code vaultsync restore DIR --all --at
 * SEQ|TIME [--yes]}: bring old versions back as new changes by this device (history is kept).
 */
@Command(
    name = "restore",
    description = {
      "Bring back a file (or with --all the whole vault) as it was at a sequence number or time,",
      "as a new change: the old content is written into the folder and synced, so the history",
      "keeps every version. A deleted file comes back with its last content. Refused, changing",
      "nothing, when a file it would replace has edits not yet synced.",
      "--at: 4812 (seq), 2026-11-20T14:00 (local time), 2026-11-20T14:00:00Z, 2026-11-20 (end",
      "of that day, local time), or an age: 30m, 2h, 3d, 1w ago.",
      "--all shows what it would bring back, change and delete, and asks before applying it",
      "(without a terminal it only shows it unless --yes is given); its deletes are allowed",
      "past the mass-delete limits, since restoring is the intent.",
      "It ends with a summary line (files restored, bytes sent and received, time); --json",
      "prints only that line, as JSON."
    })
final class RestoreCommand extends FolderCommand {
  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PATH",
      description = "The file: relative to DIR, or a path to a file inside DIR.")
  String path;

  @Option(names = "--all", description = "Restore the whole vault.")
  boolean all;

  @Option(
      names = "--at",
      required = true,
      paramLabel = "SEQ|TIME",
      description = "The sequence number or time to restore.")
  String at;

  @Option(names = "--yes", description = "With --all: apply without asking.")
  boolean yes;

  @Option(
      names = "--json",
      description =
          "Print only one JSON line: command, files, bytesSent, bytesReceived, seq, millis"
              + " (and applied: false when --all was not confirmed).")
  boolean json;

  /** When the command started, for the summary's time. */
  private long started;

  /** The wire counts of the command's connection. */
  private WireCounter wire;

  @Override
  int run(PrintWriter out) throws IOException {
    if (all == (path != null)) {
      throw new IllegalArgumentException(
          all ? "give either PATH or --all, not both" : "give a PATH to restore, or --all");
    }
    started = System.nanoTime();
    AtOption when = AtOption.parse(at, root.clock());
    StateFolder state = StateFolder.of(dir);
    NotePath note = path == null ? null : FolderPath.of(dir, path);
    String vault = state.config().vault();
    try (VaultTransport t = connect(state)) {
      wire = WireCounter.of(t);
      long seq = resolve(t, vault, when);
      Restorer restorer = new Restorer(t, root.clock(), progress("restore", json, 1, 0));
      return all ? restoreAll(out, restorer, seq) : restoreFile(out, restorer, note, seq);
    }
  }

  /** The seq {@code when} names; refuses a time before the vault's first change or seq 0. */
  private static long resolve(HistoryProtocol t, String vault, AtOption when) throws IOException {
    if (when.isSeq()) {
      if (when.seq() < 1) {
        throw new IllegalArgumentException("--at 0 is before the vault's first change");
      }
      return when.seq();
    }
    long seq = t.seqAt(vault, when.time());
    if (seq < 1) {
      throw new IllegalArgumentException(
          "--at " + when.time() + " is before the history of vault \"" + vault + "\"");
    }
    return seq;
  }

  private int restoreFile(PrintWriter out, Restorer restorer, NotePath note, long seq)
      throws IOException {
    Restorer.FileRestore r = restorer.restoreFile(dir, note, seq);
    String version =
        "the version of seq "
            + r.version().seq()
            + " ("
            + r.version().op().name().toLowerCase(Locale.ROOT)
            + " by "
            + r.version().device()
            + ", "
            + r.version().size()
            + " bytes)";
    if (!json) {
      if (r.changed()) {
        out.println("restored " + note + " to " + version + " as seq " + r.seq());
      } else {
        out.println(note + " already is " + version + "; nothing to do");
      }
    }
    return summary(out, r.changed() ? 1 : 0, r.seq(), true, r.notSynced());
  }

  /**
   * Prints the summary line (or with {@code --json} the JSON line): files restored, bytes on the
   * wire both ways, time.
   */
  private int summary(PrintWriter out, int files, long seq, boolean applied) {
    return summary(out, files, seq, applied, List.of());
  }

  /**
   * {@link #summary(PrintWriter, int, long, boolean)}, then one line per file the restore's sync
   * left out ({@code notSynced} in JSON); exit 7 if there is any, never 0 over them.
   */
  private int summary(
      PrintWriter out, int files, long seq, boolean applied, List<NotSynced> notSynced) {
    long millis = (System.nanoTime() - started) / 1_000_000;
    if (json) {
      StatsLine line =
          new StatsLine("restore")
              .put("files", files)
              .put("bytesSent", wire.bytesSent())
              .put("bytesReceived", wire.bytesReceived())
              .put("seq", seq)
              .put("millis", millis);
      if (!applied) {
        line.put("applied", false);
      }
      if (!notSynced.isEmpty()) {
        line.putObjects("notSynced", notSynced.stream().map(VaultCommand::json).toList());
      }
      out.println(line);
    } else {
      out.println(
          "restore: "
              + files
              + (files == 1 ? " file" : " files")
              + " restored; "
              + SyncReport.bytes(wire.bytesSent())
              + " sent, "
              + SyncReport.bytes(wire.bytesReceived())
              + " received in "
              + String.format(Locale.ROOT, "%.2f s", millis / 1000.0));
      notSynced.forEach(n -> out.println("not synced: " + n.describe()));
    }
    out.flush();
    return notSynced.isEmpty() ? VaultsyncCommand.EXIT_OK : VaultsyncCommand.EXIT_NOT_SYNCED;
  }

  private int restoreAll(PrintWriter out, Restorer restorer, long seq) throws IOException {
    RestorePlan plan = restorer.planAll(dir, seq);
    if (plan.isEmpty()) {
      if (!json) {
        out.println("the vault already is as it was at seq " + plan.atSeq() + "; nothing to do");
      }
      return summary(out, 0, plan.headSeq(), true);
    }
    if (!json) {
      describe(out, plan);
    }
    if (!yes && !confirmed(out)) {
      if (!json) {
        out.println(
            "nothing changed" + (terminal() ? "" : " (no terminal: run with --yes to apply)"));
      }
      return summary(out, 0, plan.headSeq(), false);
    }
    Restorer.AllRestore r = restorer.restoreAll(dir, seq);
    SyncReport report = r.report();
    if (!json) {
      if (report == null) {
        out.println("the vault already is as it was at seq " + seq + "; nothing to do");
      } else {
        out.println(
            "restored the vault to seq "
                + seq
                + " as new changes up to seq "
                + report.seq()
                + " (deletes allowed past the mass-delete limits: --all asked for them)");
      }
    }
    if (report == null) {
      return summary(out, 0, plan.headSeq(), true);
    }
    return summary(out, files(r.plan()), report.seq(), true, report.notSynced());
  }

  /** The files {@code plan} brings back, changes or deletes. */
  private static int files(RestorePlan plan) {
    return plan.bringBack().size() + plan.change().size() + plan.delete().size();
  }

  /** What {@code --all} is about to do, for the person to confirm. */
  private static void describe(PrintWriter out, RestorePlan plan) {
    out.println(
        "restoring the vault to seq "
            + plan.atSeq()
            + " (now at seq "
            + plan.headSeq()
            + "): "
            + plan.bringBack().size()
            + " to bring back, "
            + plan.change().size()
            + " to change, "
            + plan.delete().size()
            + " to delete"
            + (plan.ignored() > 0 ? " (" + plan.ignored() + " ignored paths left alone)" : ""));
    plan.lines().forEach(l -> out.println("  " + l));
    out.flush();
  }

  private static boolean terminal() {
    return System.console() != null;
  }

  /** Asks on the terminal; false without one (scripts must say --yes). */
  private static boolean confirmed(PrintWriter out) {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    String answer = console.readLine("apply? [y/N] ");
    return answer != null && List.of("y", "yes").contains(answer.strip().toLowerCase(Locale.ROOT));
  }
}
