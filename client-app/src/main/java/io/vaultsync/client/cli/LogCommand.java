package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.HistoryProtocol;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code vaultsync log DIR [PATH] [--json] [--limit N]}: the versions the server keeps of one file
 * or of the whole vault, newest first, deleted files included.
 */
@Command(
    name = "log",
    description = {
      "List the versions the server keeps of a file (or of the whole vault), newest first:",
      "sequence number, time, device, operation, size and path; moves show from -> to,",
      "deleted files are included. Restore one with: vaultsync restore DIR PATH --at SEQ."
    })
final class LogCommand extends FolderCommand {
  /** Most versions one run lists. */
  static final int MAX_LIMIT = 100_000;

  /** Versions asked for per call. */
  static final int PAGE = 1_000;

  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

  @Parameters(
      index = "1",
      arity = "0..1",
      paramLabel = "PATH",
      description = "A file: relative to DIR, or a path to a file inside DIR. Default: every file.")
  String path;

  @Option(
      names = "--json",
      description =
          "One JSON object per version: seq, time, device, op, size, path, previousPath, hash.")
  boolean json;

  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "List at most N versions (default: ${DEFAULT-VALUE}).")
  int limit;

  @Override
  int run(PrintWriter out) throws IOException {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("--limit " + limit + "; expected 1 to " + MAX_LIMIT);
    }
    StateFolder state = StateFolder.of(dir);
    NotePath note = path == null ? null : FolderPath.of(dir, path);
    String vault = state.config().vault();
    List<Change> versions;
    try (VaultTransport t = connect(state)) {
      versions = versions(t, vault, note, limit);
    }
    if (versions.isEmpty() && note != null) {
      throw new IllegalArgumentException(
          "the server keeps no version of \"" + note + "\" in vault \"" + vault + "\"");
    }
    if (json) {
      for (Change c : versions) {
        StatsLine line =
            new StatsLine("log")
                .put("seq", c.seq())
                .put("time", c.time().toString())
                .put("device", c.device())
                .put("op", c.op().name().toLowerCase(java.util.Locale.ROOT))
                .put("size", c.size())
                .put("path", c.path().value());
        if (c.previousPath() != null) {
          line.put("previousPath", c.previousPath().value());
        }
        out.println(line.put("hash", c.hash().hex()));
      }
    } else {
      out.printf(
          "%-8s %-19s  %-16s %-6s %10s  %s%n", "seq", "time", "device", "op", "size", "path");
      for (Change c : versions) {
        String where =
            c.previousPath() == null ? c.path().value() : c.previousPath() + " -> " + c.path();
        out.printf(
            "%-8d %-19s  %-16s %-6s %10d  %s%n",
            c.seq(),
            TIME.format(c.time().atZone(root.clock().getZone())),
            c.device(),
            c.op().name().toLowerCase(java.util.Locale.ROOT),
            c.size(),
            where);
      }
      if (versions.size() == limit) {
        out.println("(first " + limit + " versions; --limit N for more)");
      }
    }
    out.flush();
    return VaultsyncCommand.EXIT_OK;
  }

  /** Up to {@code limit} versions of {@code note} (null: the whole vault), newest first. */
  private static List<Change> versions(
      HistoryProtocol history, String vault, NotePath note, int limit) throws IOException {
    List<Change> versions = new ArrayList<>();
    long before = Long.MAX_VALUE;
    while (versions.size() < limit) {
      List<Change> page =
          history.history(vault, note, before, Math.min(PAGE, limit - versions.size()));
      if (page.isEmpty()) {
        break;
      }
      versions.addAll(page);
      before = page.get(page.size() - 1).seq();
    }
    return versions;
  }
}
