package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a person sees: no progress bar when stderr is not a terminal (as here) or with --quiet, the
 * one summary line, and errors that say what to do.
 */
class TerminalOutputTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  private Cli.Run run(RemoteConnector connector, String... args) {
    return Cli.run(connector, Clock.systemDefaultZone(), args);
  }

  private Cli.Run run(String... args) {
    return run(Cli.connector(server), args);
  }

  @Test
  void successfulRunsWithoutATerminalPrintNoBarAndOneSummaryLine() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    for (int i = 0; i < 30; i++) {
      Files.writeString(a.resolve("Note " + i + ".md"), "note " + i + "\n".repeat(i));
    }
    Cli.Run init = run(Cli.init(a, "--token", "t"));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(init.stderr()).isEmpty();
    // The device name chosen for this replica (no --device), then the one summary line.
    assertThat(init.text().lines().toList().get(0)).startsWith("this device is named \"");
    assertThat(init.text().lines().skip(1))
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches(
            "synced at seq 30: 30 up, 0 down, 0 moved, 0 deleted, 0 merged, 0 conflicts kept;"
                + " \\d+(\\.\\d)? [KM]?B sent, \\d+(\\.\\d)? [KM]?B received in \\d+\\.\\d\\d s");

    Path b = tmp.resolve("b");
    Cli.Run clone = run(Cli.clone(b, "--token", "t", "--quiet"));
    assertThat(clone.exitCode()).as(clone.stderr()).isZero();
    assertThat(clone.stderr()).isEmpty();
    assertThat(clone.text().lines().skip(1).toList())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("synced at seq 30: 0 up, 30 down,");

    Files.writeString(b.resolve("Note 3.md"), "edited\n");
    Cli.Run sync = run("sync", b.toString(), "-q");
    assertThat(sync.exitCode()).as(sync.stderr()).isZero();
    assertThat(sync.stderr()).isEmpty();
    assertThat(sync.text()).startsWith("synced at seq 31: 1 up, 0 down,");

    Cli.Run json = run("sync", a.toString(), "--json");
    assertThat(json.stderr()).isEmpty();
    assertThat(json.text())
        .startsWith("{\"command\":\"sync\",\"filesUp\":0,\"filesDown\":1,")
        .doesNotContain("synced at");
  }

  @Test
  void unreachableServerIsNamedWithWhatToCheck() {
    Cli.Run r =
        run(
            (uri, token) -> {
              throw new RemoteUnavailableException("UNAVAILABLE: io exception");
            },
            "vaults",
            "https://notes.example:8443",
            "--token",
            "t");
    assertThat(r.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(r.stderr().lines())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("vaultsync: vaults: cannot reach the server https://notes.example:8443")
        .contains("check that the server runs");
  }

  @Test
  void refusedTokenSaysHowToCreateOne() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Cli.Run r =
        run(
            (uri, token) -> {
              throw new AuthenticationException("missing or invalid device token");
            },
            Cli.init(a, "--token", "wrong"));
    assertThat(r.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(r.stderr())
        .contains("https://h:1")
        .contains("refused the token")
        .contains("vaultsync server token create")
        .doesNotContain("wrong");
  }
}
