package io.vaultsync.server.app;

import io.vaultsync.server.integrity.ServerCheck;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code vaultsync server check --data DIR [--repair] [--json]}: checks the database, every object
 * of the content store and every reference to content ({@link ServerCheck}); prints one line per
 * problem and a summary. With {@code --repair}: rebuilds lost or corrupt indexes and a damaged
 * database, moves damaged packs aside (never deletes), and records missing content as wanted, which
 * devices that hold it give back on their next sync. Takes the data folder's server lock, so it
 * runs while the server is stopped (like {@code repack}). Exit codes: 0 healthy, 5 problems found
 * (after the repairs, with {@code --repair}), 2 could not check (no database, a server running, an
 * I/O error).
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    description = {
      "Check the data folder: database, every stored object, every reference (server stopped).",
      "Exit codes: 0 healthy, 5 problems found, 2 could not check."
    })
public final class CheckCommand extends DataCommand {
  /** Exit code when problems were found (as {@code vaultsync verify}'s "different"). */
  public static final int EXIT_PROBLEMS = 5;

  @Option(
      names = "--repair",
      description =
          "Rebuild lost or corrupt indexes and a damaged database, move damaged packs aside and"
              + " ask devices for missing content.")
  boolean repair;

  @Option(names = "--json", description = "One JSON object instead of lines.")
  boolean json;

  @Override
  int run(PrintWriter out) throws IOException {
    requireDatabase();
    ServerCheck.Report report;
    try (AutoCloseable lock = ServerData.exclusive(data)) {
      report =
          new ServerCheck(
                  data,
                  Clock.systemUTC(),
                  List.of(new io.vaultsync.server.integrity.TreeRulesStep()))
              .run(repair);
    } catch (Exception e) {
      return fail(e.getMessage());
    }
    if (json) {
      out.println(json(report));
    } else {
      report.repaired().forEach(r -> out.println("repaired: " + r));
      report.problems().forEach(p -> out.println("problem: " + p.text()));
      out.println(report.summary());
      if (!report.healthy() && !repair) {
        out.println(
            "run `vaultsync server check --data " + data + " --repair` to repair what can be");
      }
    }
    return report.healthy() ? 0 : EXIT_PROBLEMS;
  }

  /** The report as one JSON object. */
  static String json(ServerCheck.Report r) {
    StringBuilder sb = new StringBuilder("{\"command\":\"check\",\"healthy\":").append(r.healthy());
    sb.append(",\"databaseRead\":").append(r.databaseRead());
    sb.append(",\"packs\":").append(r.packs());
    sb.append(",\"objects\":").append(r.objects());
    sb.append(",\"bytes\":").append(r.bytes());
    sb.append(",\"references\":").append(r.references());
    sb.append(",\"vaults\":").append(r.vaults());
    sb.append(",\"problems\":[");
    for (int i = 0; i < r.problems().size(); i++) {
      ServerCheck.Finding f = r.problems().get(i);
      sb.append(i > 0 ? "," : "")
          .append("{\"kind\":")
          .append(quote(f.kind()))
          .append(",\"text\":")
          .append(quote(f.text()))
          .append('}');
    }
    sb.append("],\"repaired\":[");
    for (int i = 0; i < r.repaired().size(); i++) {
      sb.append(i > 0 ? "," : "").append(quote(r.repaired().get(i)));
    }
    return sb.append("]}").toString();
  }

  private static String quote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> sb.append("\\\"");
        case '\\' -> sb.append("\\\\");
        case '\n' -> sb.append("\\n");
        default -> {
          if (c < 0x20) {
            sb.append(String.format("\\u%04x", (int) c));
          } else {
            sb.append(c);
          }
        }
      }
    }
    return sb.append('"').toString();
  }
}
