package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import io.vaultsync.protocol.testkit.ManualClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code vaultsync log} and {@code vaultsync restore} against an in-process server. */
class HistoryCommandsTest {
  static final Instant T0 = Instant.parse("2026-11-20T10:00:00Z");

  @TempDir Path tmp;

  private final ManualClock clock = new ManualClock(T0);
  private final InProcessVaultTransport server =
      new InProcessVaultTransport(clock, DeleteLimits.DEFAULTS);
  private Path a;

  private Cli.Run run(String... args) {
    return Cli.runOn(server, clock, args);
  }

  private Cli.Run ok(String... args) {
    Cli.Run r = run(args);
    assertThat(r.exitCode()).as("%s: %s", List.of(args), r.stderr()).isZero();
    clock.advance(Duration.ofMinutes(10));
    return r;
  }

  /**
   * seq 1 Daily/a.md, seq 2 Inbox.md "v1" (10:00); seq 3 Inbox.md "v2" (10:10); seq 4 Daily/a.md ->
   * b.md.
   */
  @BeforeEach
  void history() throws Exception {
    a = Files.createDirectories(tmp.resolve("a"));
    Files.writeString(a.resolve("Inbox.md"), "v1\n");
    Files.createDirectories(a.resolve("Daily"));
    Files.writeString(a.resolve("Daily/a.md"), "daily\n");
    ok(Cli.init(a, "--token", "t", "--device", "laptop"));
    Files.writeString(a.resolve("Inbox.md"), "v2 is longer\n");
    ok("sync", a.toString());
    Files.move(a.resolve("Daily/a.md"), a.resolve("Daily/b.md"));
    ok("sync", a.toString());
    assertThat(server.manifest("v").headSeq()).isEqualTo(4);
  }

  private String serverContent(String path) throws Exception {
    RemoteEntry e =
        server.manifest("v").entries().stream()
            .filter(x -> x.path().value().equals(path))
            .findFirst()
            .orElseThrow();
    return new String(server.content("v", e.hash()), java.nio.charset.StandardCharsets.UTF_8);
  }

  private static Map<String, String> byPath(List<RemoteEntry> entries) {
    return entries.stream().collect(Collectors.toMap(e -> e.path().value(), e -> e.hash().hex()));
  }

  @Test
  void logListsAFilesVersionsNewestFirstAndTheWholeVaultWithMoves() {
    Cli.Run file = ok("log", a.toString(), "Inbox.md");
    List<String> lines = file.text().lines().toList();
    assertThat(lines.get(0)).startsWith("seq").contains("time", "device", "op", "size", "path");
    assertThat(lines.get(1)).matches("3 +2026-11-20 10:10:00  laptop +put +13  Inbox.md");
    assertThat(lines.get(2)).matches("2 +2026-11-20 10:00:00  laptop +put +3  Inbox.md");
    assertThat(lines).hasSize(3);

    Cli.Run vault = ok("log", a.toString());
    assertThat(vault.text()).contains("move").contains("Daily/a.md -> Daily/b.md");
    assertThat(vault.text().lines().skip(1).map(l -> l.split(" +")[0]))
        .containsExactly("4", "3", "2", "1");

    // A path given as a file inside the folder means the same note.
    assertThat(ok("log", a.toString(), a.resolve("Inbox.md").toString()).text())
        .isEqualTo(file.text());
  }

  @Test
  void logJsonPrintsOneObjectPerVersionWithDeletes() throws Exception {
    Files.delete(a.resolve("Daily/b.md"));
    ok("sync", a.toString());
    Cli.Run r = ok("log", a.toString(), "--json", "--limit", "2");
    List<String> lines = r.text().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .startsWith("{\"command\":\"log\",\"seq\":5,")
        .contains("\"op\":\"delete\"", "\"path\":\"Daily/b.md\"", "\"device\":\"laptop\"");
    assertThat(lines.get(1))
        .contains("\"seq\":4", "\"op\":\"move\"", "\"previousPath\":\"Daily/a.md\"");
  }

  @Test
  void restoreOfAnEditedFileBringsTheOldContentBackAsOneNewChange() throws Exception {
    Cli.Run r = ok("restore", a.toString(), "Inbox.md", "--at", "2");
    assertThat(r.text()).contains("restored Inbox.md to the version of seq 2").contains("seq 5");
    assertThat(Files.readString(a.resolve("Inbox.md"))).isEqualTo("v1\n");
    assertThat(serverContent("Inbox.md")).isEqualTo("v1\n");
    List<Change> newest = server.history("v", null, Long.MAX_VALUE, 10);
    assertThat(newest).hasSize(5);
    assertThat(newest.get(0).seq()).isEqualTo(5);
    assertThat(newest.get(0).op()).isEqualTo(Change.Op.PUT);
    assertThat(newest.get(0).device()).isEqualTo("laptop");

    // Again: already there, nothing recorded.
    assertThat(ok("restore", a.toString(), "Inbox.md", "--at", "2").text()).contains("already is");
    assertThat(server.manifest("v").headSeq()).isEqualTo(5);
  }

  @Test
  void restoreOfAFileEndsWithASummaryLineOfFilesBytesAndTime() throws Exception {
    Cli.Run r = ok("restore", a.toString(), "Inbox.md", "--at", "2");
    List<String> lines = r.text().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(1))
        .matches(
            "restore: 1 file restored; [0-9.]+ (B|KB) sent, [0-9.]+ (B|KB) received in"
                + " [0-9]+\\.[0-9]{2} s");
    assertThat(lines.get(1)).doesNotContain("; 0 B sent").doesNotContain(", 0 B received");

    Cli.Run again = ok("restore", a.toString(), "Inbox.md", "--at", "2");
    assertThat(again.text().lines().toList().get(1)).startsWith("restore: 0 files restored; ");
  }

  @Test
  void restoreWithJsonPrintsOnlyItsStatsLine() throws Exception {
    Cli.Run file = ok("restore", a.toString(), "Inbox.md", "--at", "2", "--json");
    assertThat(file.text().lines().toList())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .matches(
            "\\{\"command\":\"restore\",\"files\":1,\"bytesSent\":[1-9][0-9]*,"
                + "\"bytesReceived\":[1-9][0-9]*,\"seq\":5,\"millis\":[0-9]+}");

    Cli.Run preview = ok("restore", a.toString(), "--all", "--at", "2", "--json");
    assertThat(preview.text().lines().toList())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("{\"command\":\"restore\",\"files\":0,")
        .endsWith(",\"applied\":false}");
    assertThat(server.manifest("v").headSeq()).isEqualTo(5);

    Cli.Run all = ok("restore", a.toString(), "--all", "--at", "3", "--yes", "--json");
    // at seq 3: Inbox.md "v2 is longer" (changed back), Daily/a.md back, Daily/b.md deleted
    assertThat(all.text().lines().toList())
        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
        .startsWith("{\"command\":\"restore\",\"files\":3,\"bytesSent\":")
        .contains("\"seq\":" + server.manifest("v").headSeq() + ",");
  }

  @Test
  void restoreByTimeTakesTheVersionOfThatMoment() throws Exception {
    // seq 2 at 10:00, seq 3 at 10:10: 10:05 is still v1.
    ok("restore", a.toString(), "Inbox.md", "--at", "2026-11-20T10:05:00Z");
    assertThat(Files.readString(a.resolve("Inbox.md"))).isEqualTo("v1\n");
    ok("restore", a.toString(), "Inbox.md", "--at", "2026-11-20T10:10");
    assertThat(Files.readString(a.resolve("Inbox.md"))).isEqualTo("v2 is longer\n");
  }

  @Test
  void restoreOfADeletedFileBringsItsLastContentBack() throws Exception {
    Files.delete(a.resolve("Daily/b.md"));
    ok("sync", a.toString());
    assertThat(a.resolve("Daily/b.md")).doesNotExist();

    Cli.Run r = ok("restore", a.toString(), "Daily/b.md", "--at", "5");
    assertThat(r.text()).contains("version of seq 5 (delete by laptop");
    assertThat(Files.readString(a.resolve("Daily/b.md"))).isEqualTo("daily\n");
    assertThat(serverContent("Daily/b.md")).isEqualTo("daily\n");
    assertThat(server.manifest("v").headSeq()).isEqualTo(6);
  }

  @Test
  void restoreRefusesALocalEditNotYetSyncedAndChangesNothing() throws Exception {
    Files.writeString(a.resolve("Inbox.md"), "unsynced work\n");
    Cli.Run r = run("restore", a.toString(), "Inbox.md", "--at", "2");
    assertThat(r.exitCode()).isEqualTo(VaultsyncCommand.EXIT_BAD_INPUT);
    assertThat(r.stderrLines()).hasSize(1);
    assertThat(r.stderr())
        .isEqualTo(
            "vaultsync: restore: \"Inbox.md\" has local edits not yet synced; sync (or move it"
                + " aside) first, nothing was changed\n");
    assertThat(Files.readString(a.resolve("Inbox.md"))).isEqualTo("unsynced work\n");
    assertThat(server.manifest("v").headSeq()).isEqualTo(4);
  }

  @Test
  void restoreAllWithoutYesAndWithoutATerminalOnlyShowsThePreview() throws Exception {
    Cli.Run r = ok("restore", a.toString(), "--all", "--at", "2");
    assertThat(r.text())
        .contains(
            "restoring the vault to seq 2 (now at seq 4): 1 to bring back, 1 to change,"
                + " 1 to delete")
        .contains("bring back Daily/a.md", "change     Inbox.md", "delete     Daily/b.md")
        .contains("nothing changed (no terminal: run with --yes to apply)");
    assertThat(server.manifest("v").headSeq()).isEqualTo(4);
    assertThat(Files.readString(a.resolve("Inbox.md"))).isEqualTo("v2 is longer\n");
    assertThat(a.resolve("Daily/b.md")).exists();
  }

  @Test
  void restoreAllWithYesRestoresExactlyTheManifestAtThatSeqPastTheMassDeleteLimits()
      throws Exception {
    for (int i = 0; i < 20; i++) {
      Files.writeString(a.resolve("later" + i + ".md"), "later " + i + "\n");
    }
    ok("sync", a.toString());
    long before = server.manifest("v").headSeq();

    Cli.Run r = ok("restore", a.toString(), "--all", "--at", "2", "--yes");
    assertThat(r.text()).contains("21 to delete").contains("restored the vault to seq 2");
    assertThat(byPath(server.manifest("v").entries()))
        .isEqualTo(byPath(server.manifestAt("v", 2).entries()));
    assertThat(server.manifest("v").headSeq()).isGreaterThan(before);
    try (var files = Files.list(a)) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("Inbox.md", "Daily", ".vaultsync");
    }
    assertThat(Files.readString(a.resolve("Daily/a.md"))).isEqualTo("daily\n");

    long after = server.manifest("v").headSeq();
    assertThat(ok("restore", a.toString(), "--all", "--at", "2", "--yes").text())
        .contains("nothing to do");
    assertThat(server.manifest("v").headSeq()).isEqualTo(after);
  }

  /**
   * A whole-vault restore whose sync leaves a file out (here: content the server lost) names it and
   * exits 7; it used to print its summary and exit 0.
   */
  @Test
  void restoreAllThatLeavesAFileOutNamesItAndExitsSeven() throws Exception {
    server.loseContent(
        "v",
        io.vaultsync.core.hash.ContentHash.digestOf(
            "v2 is longer\n".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    Path c = tmp.resolve("c");
    Cli.Run clone = run(Cli.clone(c, "--token", "t"));
    assertThat(clone.exitCode()).isEqualTo(VaultsyncCommand.EXIT_NOT_SYNCED);

    Cli.Run r = run("restore", c.toString(), "--all", "--at", "3", "--yes");
    assertThat(r.exitCode()).as(r.text() + r.stderr()).isEqualTo(VaultsyncCommand.EXIT_NOT_SYNCED);
    assertThat(r.text())
        .contains("restored the vault to seq 3")
        .contains("not synced: Inbox.md: the server lacks its content");
    assertThat(c.resolve("Daily/a.md")).exists();
  }

  @Test
  void badAtValuesAndUnknownPathsExitTwoWithOneLine() throws Exception {
    for (List<String> args :
        List.of(
            List.of("restore", a.toString(), "Inbox.md", "--at", "yesterday"),
            List.of("restore", a.toString(), "Inbox.md", "--at", "2026-13-45"),
            List.of("restore", a.toString(), "Inbox.md", "--at", "-3"),
            List.of("restore", a.toString(), "Inbox.md", "--at", "0"),
            List.of("restore", a.toString(), "Inbox.md", "--at", "1970-01-01T00:00:00Z"),
            List.of("restore", a.toString(), "Nope.md", "--at", "4"),
            List.of("restore", a.toString(), "../outside.md", "--at", "4"),
            List.of("restore", a.toString(), "--all", "--at", "1999-01-01"),
            List.of("restore", a.toString(), "--at", "4"),
            List.of("log", a.toString(), "Nope.md"),
            List.of("log", a.toString(), "--limit", "0"))) {
      Cli.Run r = run(args.toArray(String[]::new));
      assertThat(r.exitCode()).as("%s: %s", args, r.stderr()).isEqualTo(2);
      assertThat(r.stderrLines()).as("%s", args).hasSize(1);
      assertThat(r.stderr()).startsWith("vaultsync: " + args.get(0) + ": ");
    }
    assertThat(server.manifest("v").headSeq()).isEqualTo(4);
  }

  @Test
  void atOptionParsesSeqsTimesDatesAndAges() {
    assertThat(AtOption.parse("4812", clock)).isEqualTo(new AtOption(4812, null));
    assertThat(AtOption.parse("2026-11-20T14:00:00Z", clock).time())
        .isEqualTo(Instant.parse("2026-11-20T14:00:00Z"));
    assertThat(AtOption.parse("2026-11-20T14:00+01:00", clock).time())
        .isEqualTo(Instant.parse("2026-11-20T13:00:00Z"));
    assertThat(AtOption.parse("2026-11-20T14:00", clock).time())
        .isEqualTo(Instant.parse("2026-11-20T14:00:00Z"));
    assertThat(AtOption.parse("2026-11-20", clock).time())
        .isEqualTo(Instant.parse("2026-11-20T23:59:59.999999999Z"));
    assertThat(AtOption.parse("2h", clock).time()).isEqualTo(clock.instant().minusSeconds(7200));
    assertThat(AtOption.parse("3d", clock).time())
        .isEqualTo(clock.instant().minus(Duration.ofDays(3)));
    assertThat(NotePath.of("a.md")).isNotNull();
  }
}
