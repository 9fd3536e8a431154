package io.vaultsync.server.app;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * What every {@code vaultsync server} subcommand that works on a data folder shares: the {@code
 * --data} option, output through picocli's writers, and the rule for an operator's mistake: an I/O
 * error or a bad argument is one line on the error stream, {@code vaultsync server COMMAND:
 * message}, and exit code {@value #EXIT_ERROR} (a stack trace is for bugs only).
 */
abstract class DataCommand implements Callable<Integer> {
  /** Exit code for a bad argument or an I/O error. */
  static final int EXIT_ERROR = 2;

  @Spec CommandSpec spec;

  @Option(names = "--data", description = "The server's data folder; required.")
  Path data;

  /**
   * Whether this command works on a database the server's processes share instead of a data folder
   * (then {@code --data} is not needed).
   */
  boolean onSharedDatabase() {
    return false;
  }

  @Override
  public final Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (data == null && !onSharedDatabase()) {
      return fail("--data DIR is required");
    }
    try {
      return run(out);
    } catch (IOException | IllegalArgumentException e) {
      return fail(e.getMessage());
    } finally {
      out.flush();
    }
  }

  /**
   * The command's work, printing to {@code out}.
   *
   * @return the exit code
   * @throws IOException or IllegalArgumentException for what the operator must fix: printed as one
   *     line, exit code {@value #EXIT_ERROR}
   */
  abstract int run(PrintWriter out) throws IOException;

  /**
   * Prints {@code vaultsync server COMMAND: message} on the error stream; returns the exit code.
   */
  final int fail(String message) {
    PrintWriter err = spec.commandLine().getErr();
    err.println(commandPath() + ": " + message);
    err.flush();
    return EXIT_ERROR;
  }

  /**
   * For a command that opens the data folder whole: a folder without a database is the operator's
   * mistake (a wrong {@code --data}), not a new server to create.
   */
  final void requireDatabase() throws IOException {
    if (!Files.exists(ServerData.database(data))) {
      throw new IOException("no vaultsync database in " + data + " (is --data right?)");
    }
  }

  /**
   * {@code vaultsync server} and the subcommands down to this one, whether the command line's root
   * is the {@code vaultsync} CLI or the server's own {@code server} command.
   */
  private String commandPath() {
    String path = spec.qualifiedName();
    return path.startsWith("vaultsync ") ? path : "vaultsync " + path;
  }
}
