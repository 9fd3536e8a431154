package io.vaultsync.server.app;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import picocli.CommandLine;

/**
 * One run of {@code vaultsync server ...} in the test's JVM: its exit code and what it printed to
 * standard output and to standard error.
 */
public record CommandRun(int code, String out, String err) {
  /** Runs the server command line with {@code args}, capturing both streams. */
  public static CommandRun run(String... args) {
    return run(new ServerCommand(), args);
  }

  /** Runs {@code command} (one built for the test) with {@code args}, capturing both streams. */
  public static CommandRun run(ServerCommand command, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cl = new CommandLine(command);
    cl.setOut(new PrintWriter(out));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute(args);
    return new CommandRun(code, out.toString(), err.toString());
  }

  /** The lines of standard output. */
  public List<String> lines() {
    return out.lines().toList();
  }
}
