package io.vaultsync.server.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The rule every {@code vaultsync server} subcommand on a data folder shares ({@link DataCommand}):
 * an operator's mistake is one line naming the command, and exit code 2, never a stack trace.
 */
class DataCommandTest {
  @TempDir Path dir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int vaultsyncServer(String... args) {
    return new CommandLine(new ServerCommand())
        .setOut(new PrintWriter(out))
        .setErr(new PrintWriter(err))
        .execute(args);
  }

  /** Before issue 13's DataCommand this was picocli's stack trace and exit code 1. */
  @Test
  void aSecondTokenForADeviceIsOneLineAndExitCode2() {
    String data = dir.resolve("data").toString();
    assertThat(vaultsyncServer("token", "create", "--data", data, "--name", "laptop")).isZero();

    int code = vaultsyncServer("token", "create", "--data", data, "--name", "laptop");

    assertThat(code).isEqualTo(DataCommand.EXIT_ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "vaultsync server token create: device \"laptop\" already has a token; revoke it"
                + " first");
  }

  @Test
  void repackOfAFolderWithoutADatabaseNamesTheFolderInOneLine() {
    int code = vaultsyncServer("repack", "--data", dir.toString());

    assertThat(code).isEqualTo(DataCommand.EXIT_ERROR);
    assertThat(err.toString().strip())
        .isEqualTo(
            "vaultsync server repack: no vaultsync database in " + dir + " (is --data right?)");
  }
}
