package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.remote.CountingTransport;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 items 3 and 4 end to end, through the CLI and the real server over gRPC on 127.0.0.1: a
 * server that lost content (a pack deleted, a byte flipped) and cannot get it from its own master
 * folder. A clone writes every file it can, names each of the others with the reason and what to
 * do, and exits 7; the device that still has the files gives them back on its next sync (the server
 * checks each hash); a fresh clone is then complete, and the incomplete one completes on its next
 * sync. Before this work the clone exited 7 with "the server no longer has a version it needs" (a
 * pack) or failed whole on the client's hash check (a flipped byte), and nothing healed.
 */
@Timeout(120)
class ServerLacksContentTest {
  @TempDir Path tmp;

  private ServerData data;

  /** Numbers the devices the CLI sets up (init and clone print a chosen name otherwise). */
  private int devices;

  private RpcEndpoint.Running rpc;
  private String token;

  private final RemoteConnector connector =
      (uri, t) ->
          new CountingTransport(
              GrpcVaultTransport.connect(
                  "127.0.0.1:" + rpc.port(),
                  t,
                  ChannelSecurity.loopbackPlaintext(),
                  GrpcClientOptions.DEFAULTS));

  private Path dataDir() {
    return tmp.resolve("server");
  }

  private void start() throws IOException {
    data = ServerData.open(dataDir(), Clock.systemUTC());
    rpc =
        new GrpcRpcEndpoint()
            .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), null);
    if (token == null) {
      token = data.tokens().create("laptop");
    }
  }

  private void stop() throws IOException {
    if (rpc != null) {
      rpc.close();
      data.close();
      rpc = null;
    }
  }

  @AfterEach
  void tearDown() throws IOException {
    stop();
  }

  private Cli.Run run(String... args) {
    return Cli.run(connector, Clock.systemDefaultZone(), args);
  }

  /** Clones the vault into {@code dir} as a new device, then {@code more}. */
  private Cli.Run cloneNewDevice(Path dir, String... more) {
    return run(
        Cli.args(
            more,
            "clone",
            "http://127.0.0.1:1",
            "notes",
            dir.toString(),
            "--token",
            token,
            "--device",
            "d" + devices++));
  }

  /** Laptop: a vault of 4 notes in one commit and 4 more in a second (two packs). */
  private Path initLaptop() throws Exception {
    start();
    Path a = Files.createDirectories(tmp.resolve("laptop"));
    for (int i = 1; i <= 4; i++) {
      Files.writeString(a.resolve("n" + i + ".md"), "note " + i + "\nsome text\n");
    }
    // long enough for an edit's delta to copy blocks of it
    Files.writeString(
        a.resolve("n2.md"), "note 2\n" + "a line of some text of note 2\n".repeat(60));
    Cli.Run init =
        run(
            "init",
            a.toString(),
            "--server",
            "http://127.0.0.1:1",
            "--vault",
            "notes",
            "--token",
            token);
    assertThat(init.exitCode()).as(init.stderr()).isZero();
    for (int i = 1; i <= 4; i++) {
      Files.writeString(a.resolve("later" + i + ".md"), "later note " + i + "\n");
    }
    assertThat(run("sync", a.toString()).exitCode()).isZero();
    data.vaults().awaitMirrored("notes");
    return a;
  }

  private List<Path> packs() throws IOException {
    try (Stream<Path> s = Files.list(dataDir().resolve("store/packs"))) {
      return s.filter(p -> p.toString().endsWith(".pack")).sorted().toList();
    }
  }

  /**
   * The server's master folder lacks the files too, as after a crash that came after the
   * acknowledgement and before the mirror wrote them; so only a device can give them back.
   */
  private void loseMasterCopies() throws IOException {
    try (Stream<Path> s = Files.list(ServerData.vaultsRoot(dataDir()).resolve("notes"))) {
      for (Path p : s.filter(p -> p.toString().endsWith(".md")).toList()) {
        Files.delete(p);
      }
    }
    try (ServerData.LedgerDatabase db = ServerData.openLedger(dataDir())) {
      db.ledger().setMirroredSeq(VaultName.of("notes"), 0);
    }
  }

  private static Map<String, String> files(Path dir) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> s = Files.list(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        out.put(p.getFileName().toString(), Files.readString(p));
      }
    }
    return out;
  }

  @Test
  void cloneFromAServerMissingAPackNamesEachFileExitsSevenAndTheLaptopHealsTheServer()
      throws Exception {
    Path laptop = initLaptop();
    stop();
    Files.delete(packs().get(0)); // n1..n4
    loseMasterCopies();
    start();

    Path desk = tmp.resolve("desk");
    Cli.Run clone = cloneNewDevice(desk);
    assertThat(clone.exitCode()).as(clone.text() + clone.stderr()).isEqualTo(7);
    assertThat(files(desk)).containsOnlyKeys("later1.md", "later2.md", "later3.md", "later4.md");
    List<String> lines = clone.text().lines().toList();
    assertThat(lines.get(0)).contains("4 down", "4 not synced");
    for (int i = 1; i <= 4; i++) {
      String name = "n" + i + ".md";
      assertThat(lines)
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith(
                          "not synced: " + name + ": the server lacks its content (content ")
                      .contains("`vaultsync server check`", "gives it back on its next sync"));
    }

    Cli.Run stillMissing = run("sync", desk.toString());
    assertThat(stillMissing.exitCode()).isEqualTo(7);
    assertThat(stillMissing.text()).contains("4 not synced", "not synced: n1.md: the server lacks");

    Cli.Run heal = run("sync", laptop.toString());
    assertThat(heal.exitCode()).as(heal.text()).isZero();
    assertThat(heal.text()).contains("4 given back to the server");
    assertThat(heal.text().lines()).contains("given back: n1.md (the server had lost its content)");
    assertThat(data.wanted().isEmpty()).isTrue();

    Path fresh = tmp.resolve("fresh");
    Cli.Run again = cloneNewDevice(fresh);
    assertThat(again.exitCode()).as(again.text()).isZero();
    assertThat(files(fresh)).isEqualTo(files(laptop));
    Cli.Run catchUp = run("sync", desk.toString());
    assertThat(catchUp.exitCode()).as(catchUp.text()).isZero();
    assertThat(files(desk)).isEqualTo(files(laptop));
  }

  @Test
  void flippedByteIsNamedForItsFileAloneTheCloneGoesOnAndTheLaptopHealsIt() throws Exception {
    Path laptop = initLaptop();
    stop();
    Path pack = packs().get(1);
    byte[] bytes = Files.readAllBytes(pack);
    byte[] note = "later note 3\n".getBytes(StandardCharsets.UTF_8);
    int at = indexOf(bytes, note);
    bytes[at + 2] ^= 0x01;
    Files.write(pack, bytes);
    loseMasterCopies();
    start();

    Path desk = tmp.resolve("desk");
    Cli.Run clone = cloneNewDevice(desk, "--json");
    assertThat(clone.exitCode()).as(clone.text() + clone.stderr()).isEqualTo(7);
    assertThat(files(desk)).hasSize(7).doesNotContainKey("later3.md");
    assertThat(clone.text())
        .contains(
            "\"notSynced\":[{\"path\":\"later3.md\",\"kind\":\"SERVER\",\"reason\":\"the server lacks its content");

    Cli.Run heal = run("sync", laptop.toString(), "--json");
    assertThat(heal.exitCode()).as(heal.text()).isZero();
    assertThat(heal.text()).contains("\"givenBack\":[\"later3.md\"]");
    Path fresh = tmp.resolve("fresh");
    assertThat(cloneNewDevice(fresh).exitCode()).isZero();
    assertThat(files(fresh)).isEqualTo(files(laptop));
    assertThat(data.store().has(io.vaultsync.core.hash.ContentHash.digestOf(note))).isTrue();
  }

  /**
   * A disk took a pack and the master files the mirror had written from it (the mirrored seq is at
   * the head): the start's reconcile must not read the missing files as deletes made on the
   * server's disk, which would spread the loss to every device and stop the laptop from giving them
   * back.
   */
  @Test
  void filesGoneFromTheMasterFolderWithTheirContentStayAtTheHeadAndAreGivenBack() throws Exception {
    Path laptop = initLaptop();
    stop();
    Files.delete(packs().get(0)); // n1..n4
    Path master = ServerData.vaultsRoot(dataDir()).resolve("notes");
    for (int i = 1; i <= 4; i++) {
      Files.delete(master.resolve("n" + i + ".md"));
    }
    start();

    var head = data.vaults().manifest("notes");
    assertThat(head.entries()).hasSize(8);
    Cli.Run heal = run("sync", laptop.toString());
    assertThat(heal.exitCode()).as(heal.text()).isZero();
    assertThat(heal.text()).contains("0 deleted", "4 given back to the server");
    assertThat(files(laptop)).hasSize(8);

    data.reconciler().reconcile(VaultName.of("notes"));
    assertThat(files(master)).isEqualTo(files(laptop));
    assertThat(data.vaults().manifest("notes").headSeq()).isEqualTo(head.headSeq());
  }

  /**
   * The laptop edited a note whose version the server lost: its delta names a base the server
   * cannot read, so the laptop sends the whole content instead, and the edit is not stuck (before,
   * every sync of the laptop failed on it, and so did the giving back that comes after).
   */
  @Test
  void anEditOfANoteWhoseBaseTheServerLostIsUploadedWhole() throws Exception {
    Path laptop = initLaptop();
    stop();
    Files.delete(packs().get(0)); // n1..n4
    loseMasterCopies();
    start();
    Files.writeString(
        laptop.resolve("n2.md"), Files.readString(laptop.resolve("n2.md")) + "and an edit\n");

    Cli.Run sync = run("sync", laptop.toString());
    assertThat(sync.exitCode()).as(sync.text() + sync.stderr()).isZero();
    assertThat(sync.text()).contains("1 up", "3 given back to the server");
    Path fresh = tmp.resolve("fresh");
    Cli.Run clone = cloneNewDevice(fresh);
    assertThat(clone.exitCode()).as(clone.text()).isZero();
    assertThat(files(fresh)).isEqualTo(files(laptop));
  }

  private static int indexOf(byte[] data, byte[] what) {
    for (int i = 0; i + what.length <= data.length; i++) {
      if (java.util.Arrays.equals(data, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    throw new IllegalStateException("not found");
  }

  @SuppressWarnings("unused")
  private static NotePath path(String p) {
    return NotePath.of(p);
  }
}
