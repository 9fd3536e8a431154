package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 7: a one-shot sync whose deletes the guard refuses holds those deletes back and
 * still does everything else (uploads, downloads), exits 6 naming them; the next sync is not
 * blocked by them; once one device confirms them with {@code --allow-mass-delete}, every other
 * device applies them without asking again.
 */
class HeldBackDeletesTest {
  private static final int FILES = 30;
  private static final int DELETED = 12; // 40% of the vault

  @TempDir Path tmp;

  private final InProcessVaultTransport server =
      new InProcessVaultTransport(Clock.systemUTC(), DeleteLimits.DEFAULTS);

  private Cli.Run run(String... args) {
    return Cli.runOn(server, Clock.systemDefaultZone(), args);
  }

  private boolean onServer(String path) throws Exception {
    return server.manifest("v").entries().stream()
        .map(RemoteEntry::path)
        .anyMatch(p -> p.value().equals(path));
  }

  @Test
  void refusedDeletesAreHeldBackWhileTheRestSyncsAndOneConfirmationServesEveryDevice()
      throws Exception {
    Path a = Files.createDirectories(tmp.resolve("a"));
    for (int i = 0; i < FILES; i++) {
      Files.writeString(a.resolve(String.format("n%02d.md", i)), "note " + i + "\n");
    }
    assertThat(run(Cli.init(a, "--token", "t")).exitCode()).isZero();
    Path b = tmp.resolve("b");
    assertThat(run(Cli.clone(b, "--token", "t", "--device", "B")).exitCode()).isZero();
    Files.writeString(b.resolve("n29.md"), "note 29, edited on B\n");
    assertThat(run("sync", b.toString()).exitCode()).isZero();

    for (int i = 0; i < DELETED; i++) {
      Files.delete(a.resolve(String.format("n%02d.md", i)));
    }
    Files.writeString(a.resolve("new.md"), "a new note\n");
    Files.writeString(a.resolve("n20.md"), "note 20, edited on A\n");

    Cli.Run first = run("sync", a.toString());
    assertThat(first.exitCode()).as(first.text() + first.stderr()).isEqualTo(6);
    assertThat(first.text() + first.stderr())
        .contains("held back " + DELETED + " deletes")
        .contains("n00.md")
        .contains("--allow-mass-delete");
    assertThat(onServer("new.md")).as("the upload went through").isTrue();
    assertThat(onServer("n00.md")).as("the delete was held back").isTrue();
    assertThat(Files.readString(a.resolve("n29.md")))
        .as("the download went through")
        .isEqualTo("note 29, edited on B\n");
    assertThat(Files.readString(b.resolve("n20.md"))).isEqualTo("note 20\n");

    Files.writeString(a.resolve("later.md"), "written after the refusal\n");
    Cli.Run second = run("sync", a.toString(), "--json");
    assertThat(second.exitCode()).isEqualTo(6);
    assertThat(second.text()).contains("\"kind\":\"HELD_BACK\"").contains("\"path\":\"n11.md\"");
    assertThat(onServer("later.md")).as("the pile-up does not block later syncs").isTrue();

    Cli.Run status = run("status", a.toString());
    assertThat(status.text()).contains("n00.md").contains("held back");

    Cli.Run confirmed = run("sync", a.toString(), "--allow-mass-delete");
    assertThat(confirmed.exitCode()).as(confirmed.text() + confirmed.stderr()).isZero();
    assertThat(onServer("n00.md")).isFalse();
    assertThat(server.manifest("v").entries()).hasSize(FILES - DELETED + 2);

    Cli.Run other = run("sync", b.toString());
    assertThat(other.exitCode()).as(other.text() + other.stderr()).isZero();
    assertThat(Files.exists(b.resolve("n00.md"))).isFalse();
    assertThat(Files.readString(b.resolve("n20.md"))).isEqualTo("note 20, edited on A\n");
    assertThat(b.resolve("later.md")).exists();
  }
}
