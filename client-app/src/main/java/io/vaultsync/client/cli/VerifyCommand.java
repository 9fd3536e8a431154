package io.vaultsync.client.cli;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.sync.Difference;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.Verifier;
import io.vaultsync.client.sync.VerifyReport;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync verify DIR [--json]}: compares the folder's Merkle root with the server's head;
 * names every differing path when they differ. Exit 0 in sync, {@value
 * VaultsyncCommand#EXIT_DIFFERENT} different, 2 could not check.
 */
@Command(
    name = "verify",
    description = {
      "Check that the folder holds exactly what the server's head holds (Merkle roots);",
      "if not, name each differing path and whether it is a pending local change or the",
      "client is behind; name each file left out (a link, a special file, a name no sync can",
      "take here or on the server). Changes nothing.",
      "Exit code 5: the folder and the server differ, or a file is left out."
    })
final class VerifyCommand extends FolderCommand {
  @Option(
      names = "--json",
      description =
          "Print {inSync, seq, files, root, localFiles, localRoot, differences: [{path, where,"
              + " cause}], notSynced: [{path, kind, reason}]} as JSON.")
  boolean json;

  @Override
  int run(PrintWriter out) throws IOException {
    StateFolder state = StateFolder.of(dir);
    VerifyReport r;
    try (VaultTransport t = connect(state)) {
      r = new Verifier(t).verify(dir);
    }
    if (json) {
      out.println(json(r));
    } else if (r.inSync()) {
      out.println(
          "in sync at seq "
              + r.server().seq()
              + ", "
              + r.server().files()
              + " files, root "
              + r.server().root().hex());
    } else if (r.sameRoot()) {
      out.println(
          "not in sync at seq "
              + r.server().seq()
              + ": "
              + count(r.notSynced().size(), "file")
              + " left out, the rest the same ("
              + count(r.server().files(), "file")
              + ", root "
              + r.server().root().hex()
              + ")");
    } else {
      out.println(
          "differs from the server at seq "
              + r.server().seq()
              + ": "
              + r.differences().size()
              + (r.differences().size() == 1 ? " path" : " paths")
              + (r.notSynced().isEmpty() ? "" : ", " + r.notSynced().size() + " not synced")
              + " (server root "
              + r.server().root().hex()
              + ", "
              + r.server().files()
              + " files; local root "
              + r.localRoot().hex()
              + ", "
              + r.localFiles()
              + " files)");
      r.differences().forEach(d -> out.println(d.describe()));
    }
    if (!json) {
      r.notSynced().forEach(n -> out.println("not synced: " + n.describe()));
    }
    out.flush();
    return r.inSync() ? VaultsyncCommand.EXIT_OK : VaultsyncCommand.EXIT_DIFFERENT;
  }

  static String json(VerifyReport r) {
    StringBuilder b = new StringBuilder("{\"command\":\"verify\"");
    b.append(",\"inSync\":").append(r.inSync());
    b.append(",\"seq\":").append(r.server().seq());
    b.append(",\"files\":").append(r.server().files());
    b.append(",\"root\":\"").append(r.server().root().hex()).append('"');
    b.append(",\"localFiles\":").append(r.localFiles());
    b.append(",\"localRoot\":\"").append(r.localRoot().hex()).append('"');
    b.append(",\"differences\":[");
    String sep = "";
    for (Difference d : r.differences()) {
      b.append(sep)
          .append("{\"path\":")
          .append(quote(d.path().value()))
          .append(",\"where\":\"")
          .append(d.where().name())
          .append("\",\"cause\":\"")
          .append(d.cause().name())
          .append("\"}");
      sep = ",";
    }
    b.append("],\"notSynced\":[");
    sep = "";
    for (NotSynced n : r.notSynced()) {
      b.append(sep)
          .append("{\"path\":")
          .append(quote(n.path()))
          .append(",\"kind\":\"")
          .append(n.kind().name())
          .append("\",\"reason\":")
          .append(quote(n.reason()))
          .append('}');
      sep = ",";
    }
    return b.append("]}").toString();
  }

  private static String count(long n, String what) {
    return n + " " + what + (n == 1 ? "" : "s");
  }

  /** A JSON string: note paths have no control characters, but may hold quotes. */
  static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
