package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyncCommandsTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  private Cli.Run run(String... args) {
    return Cli.runOn(server, Clock.systemDefaultZone(), args);
  }

  @Test
  void initVaultsCloneSyncStatusRoundTrip() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Files.writeString(a.resolve("Note.md"), "hello\n");
    Cli.Run init = run(Cli.init(a, "--token", "s3cret", "--device", "A"));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    assertThat(init.text()).startsWith("synced at seq 1: 1 up");
    Path token = a.resolve(".vaultsync/token");
    if (Files.getFileStore(a).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token)))
          .isEqualTo("rw-------");
    }

    Cli.Run vaults = run("vaults", "https://h:1", "--token", "s3cret");
    assertThat(vaults.exitCode()).isZero();
    assertThat(vaults.text()).contains("v ").contains(" 1 ").doesNotContain("s3cret");

    Path b = tmp.resolve("b");
    Cli.Run clone = run(Cli.clone(b, "--token", "s3cret"));
    assertThat(clone.exitCode()).as(clone.stderr()).isZero();
    assertThat(Files.readString(b.resolve("Note.md"))).isEqualTo("hello\n");

    Files.writeString(a.resolve("Note.md"), "hello again\n");
    Cli.Run status = run("status", a.toString());
    assertThat(status.text()).isEqualTo("upload       Note.md\n");
    Cli.Run sync = run("sync", a.toString(), "--json");
    assertThat(sync.exitCode()).isZero();
    assertThat(sync.text())
        .matches(
            "\\{\"command\":\"sync\",\"filesUp\":1,\"filesDown\":0,\"moved\":0,\"deleted\":0,"
                + "\"merged\":0,\"bytesSent\":\\d+,\"bytesReceived\":\\d+,\"conflicts\":0,"
                + "\"seq\":2,\"millis\":\\d+,\"conflictCopies\":\\[],\"notSynced\":\\[],"
                + "\"givenBack\":\\[]}\\n");
    assertThat(run("sync", b.toString()).exitCode()).isZero();
    assertThat(Files.readString(b.resolve("Note.md"))).isEqualTo("hello again\n");
    assertThat(run("status", b.toString()).text()).startsWith("up to date at seq 2");
    assertThat(init.text() + vaults.text() + clone.text() + sync.text() + init.stderr())
        .doesNotContain("s3cret");
  }

  @Test
  void syncWithConflictCopiesExitsFour() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    Files.write(a.resolve("x.bin"), new byte[] {1});
    run(Cli.init(a, "--token", "t"));
    Path b = tmp.resolve("b");
    run(Cli.clone(b, "--token", "t", "--device", "B"));
    Files.write(a.resolve("x.bin"), new byte[] {2, 2});
    Files.write(b.resolve("x.bin"), new byte[] {3, 3, 3});
    assertThat(run("sync", a.toString()).exitCode()).isZero();
    Cli.Run r = run("sync", b.toString());
    assertThat(r.exitCode()).isEqualTo(VaultsyncCommand.EXIT_CONFLICTS);
    assertThat(r.text()).contains("conflict: kept local version as \"x (conflict B ");
  }

  /**
   * A sync of an emptied folder holds its deletes back and exits 6 with the reason and the paths;
   * status shows them held back and why; --allow-mass-delete goes ahead.
   */
  @Test
  void heldBackDeletesExitSixAndStatusSaysSo() throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    for (int i = 0; i < 3; i++) {
      Files.writeString(a.resolve("n" + i + ".md"), "note " + i + "\n");
    }
    run(Cli.init(a, "--token", "t"));
    for (int i = 0; i < 3; i++) {
      Files.delete(a.resolve("n" + i + ".md"));
    }

    Cli.Run held = run("sync", a.toString());
    assertThat(held.exitCode()).isEqualTo(VaultsyncCommand.EXIT_REFUSED);
    assertThat(held.stderr()).isEmpty();
    assertThat(held.text())
        .contains(", 3 deletes held back;")
        .contains("held back 3 deletes on the server: " + a + " has no files")
        .contains("looks empty or unmounted", "--allow-mass-delete")
        .contains("  held back: n0.md\n");
    assertThat(server.manifest("v").entries()).hasSize(3);

    Cli.Run status = run("status", a.toString());
    assertThat(status.exitCode()).isZero();
    assertThat(status.text())
        .contains("held back    delete remote n0.md")
        .contains("sync would have held back 3 deletes on the server: " + a + " has no files");
    assertThat(run("status", a.toString(), "--allow-mass-delete").text())
        .doesNotContain("held back");

    Cli.Run allowed = run("sync", a.toString(), "--allow-mass-delete");
    assertThat(allowed.exitCode()).as(allowed.stderr()).isZero();
    assertThat(server.manifest("v").entries()).isEmpty();
  }

  @Test
  void badInputExitsTwoWithOneLine() throws Exception {
    Cli.Run notAVault = run("sync", tmp.toString());
    assertThat(notAVault.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(notAVault.stderrLines()).hasSize(1);
    assertThat(notAVault.stderr()).contains("not a synced vault folder");

    Cli.Run noVault =
        run("clone", "https://h:1", "missing", tmp.resolve("c").toString(), "--token", "t");
    assertThat(noVault.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(noVault.stderr()).contains("no vault \"missing\"");
    assertThat(Files.exists(tmp.resolve("c"))).isFalse();

    Cli.Run badUrl = run("vaults", "not a url", "--token", "t");
    assertThat(badUrl.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(badUrl.stderrLines()).hasSize(1);
  }

  @Test
  void watchRefusesAFolderThatIsNotAReplicaAndABadDebounce() {
    Cli.Run notAVault = run("watch", tmp.toString());
    assertThat(notAVault.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(notAVault.stderrLines()).hasSize(1);
    assertThat(notAVault.stderr()).contains("not a synced vault folder");

    Cli.Run badDebounce = run("watch", tmp.toString(), "--debounce", "-5");
    assertThat(badDebounce.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(badDebounce.stderr()).contains("--debounce -5");
  }
}
