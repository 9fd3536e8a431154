package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 2: a file a sync cannot take (here a symbolic link and a fifo) is named by {@code
 * init} and {@code sync} (exit 7, and in {@code --json}), by {@code status} (after the plan) and by
 * {@code verify} (exit 5, never "in sync"; in {@code --json} too). Today they were skipped in
 * silence: status said "up to date" and verify "in sync".
 */
class NotSyncedCommandsTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  private Cli.Run run(String... args) {
    return Cli.runOn(server, Clock.systemDefaultZone(), args);
  }

  private static void mkfifo(Path fifo) throws IOException, InterruptedException {
    try {
      Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
      assumeTrue(p.waitFor() == 0, "mkfifo failed");
    } catch (IOException e) {
      assumeTrue(false, "no mkfifo here: " + e);
    }
  }

  @Test
  void linkAndFifoAreNamedBySyncStatusAndVerify() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Path outside = Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(outside.resolve("secret.md"), "secret\n");
    Files.writeString(a.resolve("Note.md"), "hello\n");
    Files.createSymbolicLink(a.resolve("link.md"), outside.resolve("secret.md"));
    mkfifo(a.resolve("pipe"));

    Cli.Run init = run(Cli.init(a, "--token", "t", "--device", "A"));
    assertThat(init.exitCode()).as(init.stderr()).isEqualTo(VaultsyncCommand.EXIT_NOT_SYNCED);
    assertThat(init.text())
        .startsWith("synced at seq 1: 1 up")
        .contains(", 2 not synced;")
        .contains("not synced: link.md: symbolic link, not synced: links are never followed\n")
        .contains("not synced: pipe: not a regular file (a fifo, socket or device)");
    assertThat(server.manifest("v").entries())
        .extracting(e -> e.path().value())
        .containsExactly("Note.md");

    Cli.Run sync = run("sync", a.toString(), "--json");
    assertThat(sync.exitCode()).isEqualTo(VaultsyncCommand.EXIT_NOT_SYNCED);
    assertThat(sync.text())
        .contains(
            "\"notSynced\":[{\"path\":\"link.md\",\"kind\":\"NAME\",\"reason\":\"symbolic link,"
                + " not synced: links are never followed\"},{\"path\":\"pipe\",\"kind\":\"NAME\"");

    Cli.Run status = run("status", a.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.text())
        .isEqualTo(
            "up to date at seq 1 but for 2 files not synced:\n"
                + "not synced: link.md: symbolic link, not synced: links are never followed\n"
                + "not synced: pipe: not a regular file (a fifo, socket or device), not synced:"
                + " only files and folders are\n");
    Files.writeString(a.resolve("Note.md"), "hello again\n");
    assertThat(run("status", a.toString()).text())
        .startsWith("upload       Note.md\nnot synced: link.md: ");
    assertThat(run("sync", a.toString()).exitCode()).isEqualTo(VaultsyncCommand.EXIT_NOT_SYNCED);

    Cli.Run verify = run("verify", a.toString());
    assertThat(verify.exitCode()).isEqualTo(VaultsyncCommand.EXIT_DIFFERENT);
    assertThat(verify.text())
        .startsWith("not in sync at seq 2: 2 files left out, the rest the same (1 file, root ")
        .contains("not synced: link.md: symbolic link")
        .contains("not synced: pipe: not a regular file");
    Cli.Run verifyJson = run("verify", a.toString(), "--json");
    assertThat(verifyJson.exitCode()).isEqualTo(VaultsyncCommand.EXIT_DIFFERENT);
    assertThat(verifyJson.text())
        .contains("\"inSync\":false")
        .contains("\"differences\":[]")
        .contains(
            "\"notSynced\":[{\"path\":\"link.md\",\"kind\":\"NAME\",\"reason\":\"symbolic link");

    // Gone: everything is in sync again, and said so.
    Files.delete(a.resolve("link.md"));
    Files.delete(a.resolve("pipe"));
    assertThat(run("sync", a.toString()).exitCode()).isZero();
    Cli.Run clean = run("verify", a.toString());
    assertThat(clean.exitCode()).isZero();
    assertThat(clean.text()).startsWith("in sync at seq 2");
  }
}
