package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaultsync verify} and {@code vaultsync snapshot} against an in-process server. */
class VerifyCommandTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();
  private Path a;

  private Cli.Run run(String... args) {
    return Cli.runOn(server, Clock.systemDefaultZone(), args);
  }

  @BeforeEach
  void initVault() throws Exception {
    a = Files.createDirectories(tmp.resolve("a"));
    Files.writeString(a.resolve("Inbox.md"), "- idea\n");
    Files.createDirectories(a.resolve("Daily"));
    Files.writeString(a.resolve("Daily/2026-11-26.md"), "hello\n");
    Cli.Run init = run(Cli.init(a, "--token", "t"));
    assertThat(init.exitCode()).as(init.stderr()).isZero();
  }

  @Test
  void inSyncFolderPrintsSeqFilesAndRootAndExitsZero() {
    Cli.Run r = run("verify", a.toString());
    assertThat(r.exitCode()).as(r.stderr()).isZero();
    assertThat(r.text().trim()).matches("in sync at seq 2, 2 files, root [0-9a-f]{64}");
  }

  @Test
  void localEditIsNamedAsPendingLocalChange() throws Exception {
    Files.writeString(a.resolve("Inbox.md"), "- idea\n- another\n");
    Files.writeString(a.resolve("New.md"), "new\n");
    Cli.Run r = run("verify", a.toString());
    assertThat(r.exitCode()).isEqualTo(VaultsyncCommand.EXIT_DIFFERENT);
    assertThat(r.text())
        .startsWith("differs from the server at seq 2: 2 paths")
        .contains("different content: Inbox.md (pending local change)")
        .contains("only here: New.md (pending local change)");
  }

  @Test
  void serverSideDifferenceIsNamedAsClientBehindAndAsJson() throws Exception {
    RemoteEntry daily =
        server.manifest("v").entries().stream()
            .filter(e -> e.path().value().startsWith("Daily/"))
            .findFirst()
            .orElseThrow();
    server.delete("v", daily.path(), daily.hash(), "other");
    Cli.Run r = run("verify", a.toString());
    assertThat(r.exitCode()).isEqualTo(VaultsyncCommand.EXIT_DIFFERENT);
    assertThat(r.text()).contains("only here: Daily/2026-11-26.md (client is behind)");

    Cli.Run json = run("verify", a.toString(), "--json");
    assertThat(json.exitCode()).isEqualTo(VaultsyncCommand.EXIT_DIFFERENT);
    assertThat(json.text())
        .contains("\"inSync\":false")
        .contains("\"seq\":3")
        .contains(
            "{\"path\":\"Daily/2026-11-26.md\",\"where\":\"ONLY_HERE\","
                + "\"cause\":\"CLIENT_BEHIND\"}");

    assertThat(run("sync", a.toString()).exitCode()).isZero();
    assertThat(run("verify", a.toString()).text()).startsWith("in sync at seq 3, 1 files");
  }

  @Test
  void editOnBothSidesIsNamedAsBothChanged() throws Exception {
    byte[] v2 = "server edit\n".getBytes(StandardCharsets.UTF_8);
    RemoteEntry inbox =
        server.manifest("v").entries().stream()
            .filter(e -> e.path().value().equals("Inbox.md"))
            .findFirst()
            .orElseThrow();
    server.push(
        "v",
        NotePath.of("Inbox.md"),
        inbox.hash(),
        new ByteArrayInputStream(literalDelta(v2)),
        "other");
    Files.writeString(a.resolve("Inbox.md"), "local edit\n");
    Cli.Run r = run("verify", a.toString());
    assertThat(r.text()).contains("different content: Inbox.md (both changed since the last sync)");
  }

  /** An all-literal delta: valid against any base. */
  static byte[] literalDelta(byte[] content) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    io.vaultsync.core.delta.DeltaEncoder e =
        new io.vaultsync.core.delta.DeltaEncoder(
            io.vaultsync.core.signature.SignatureBuilder.of(
                new byte[0], io.vaultsync.core.signature.SignatureParams.forBasisLength(0)),
            new io.vaultsync.core.format.DeltaWriter(out));
    e.update(content, 0, content.length);
    e.finish();
    return out.toByteArray();
  }

  @Test
  void snapshotCommandPrintsSeqAndTheRootVerifyReports() {
    Cli.Run snap = run("snapshot", a.toString());
    assertThat(snap.exitCode()).as(snap.stderr()).isZero();
    String root =
        run("verify", a.toString()).text().replaceAll("(?s).*root ([0-9a-f]{64}).*", "$1");
    assertThat(snap.text()).startsWith("snapshot at seq 2, 2 files, root " + root);
  }
}
