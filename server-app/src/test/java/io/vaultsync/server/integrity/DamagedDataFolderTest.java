package io.vaultsync.server.integrity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import io.vaultsync.server.app.CommandRun;
import io.vaultsync.server.app.ServerData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 item 4 on real damaged files of a stopped server's data folder: a deleted pack, a
 * deleted index, a flipped byte in a pack, a truncated index and a damaged database page. For each:
 * what the server logs when it starts (one line naming the file and what to run, no stack trace),
 * what a clone gets (every file it can, the others reported per file), what {@code vaultsync server
 * check} reports and what {@code --repair} does. Before this work the store deleted a pack whose
 * index was gone, failed to open with a stack trace on a missing pack or a corrupt index, served a
 * flipped byte, and nothing looked at the database.
 */
class DamagedDataFolderTest {
  @TempDir Path tmp;

  private CommandRun check(DataFolder f, String... more) {
    String[] args = new String[3 + more.length];
    args[0] = "check";
    args[1] = "--data";
    args[2] = f.dir.toString();
    System.arraycopy(more, 0, args, 3, more.length);
    return CommandRun.run(args);
  }

  /** Opens the server on {@code f} (logging into {@code log}) and fetches every head file. */
  private static Map<String, String> startAndClone(DataFolder f, LogCapture log) throws Exception {
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      return DataFolder.fetchAll(data);
    }
  }

  /**
   * Starts the server on {@code f} and clones it: every file but {@code missing} arrives, and each
   * of those is reported as not found. Returns the clone (path to content or report).
   */
  private static Map<String, String> cloneLacking(DataFolder f, LogCapture log, String... missing)
      throws Exception {
    Map<String, String> got = startAndClone(f, log);
    assertThat(got).containsAllEntriesOf(allBut(missing));
    for (String path : missing) {
      assertThat(got.get(path)).as(path).startsWith("not found: ");
    }
    return got;
  }

  private static Map<String, String> allBut(String... missing) {
    Map<String, String> m = new TreeMap<>(DataFolder.all());
    for (String p : missing) {
      m.remove(p);
    }
    return m;
  }

  @Test
  void deletedPackIsNamedAtStartTheCloneGetsTheRestAndCheckNamesEachFile() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    Path pack = f.pack(0);
    Files.delete(pack);
    f.loseMasterCopies();

    try (LogCapture log = new LogCapture()) {
      Map<String, String> got = cloneLacking(f, log, "n1.md", "n2.md", "n3.md");
      assertThat(got.get("n1.md")).startsWith("not found: content ").contains("is not stored");
      assertThat(log.lines(Level.ERROR))
          .contains(
              "store pack "
                  + pack
                  + " is missing (3 of its 3 objects are stored nowhere else, e.g. "
                  + log.lines(Level.ERROR).get(0).replaceAll(".*e\\.g\\. (\\w+)\\).*", "$1")
                  + "): run `vaultsync server check --data "
                  + f.dir
                  + " --repair`")
          .anyMatch(
              l ->
                  l.startsWith(
                      "vault notes: the store lacks the content of 3 files at the head: n1.md,"
                          + " n2.md, n3.md; devices that hold them give them back"));
      assertThat(log.anyStackTrace()).isFalse();
    }

    CommandRun checked = check(f);
    assertThat(checked.code()).isEqualTo(5);
    assertThat(checked.lines())
        .contains(
            "problem: store pack "
                + pack
                + " is missing (3 of its 3 objects are stored"
                + " nowhere else, e.g. "
                + firstHashOf(checked.out())
                + ")")
        .anyMatch(
            l ->
                l.startsWith(
                        "problem: content " + DataFolder.hash(DataFolder.FIRST.get("n1.md")).hex())
                    && l.contains("is missing: vault notes: n1.md (head, seq 1); also named by"));
    assertThat(checked.lines().get(checked.lines().size() - 2)).endsWith(": 4 problems");

    CommandRun repaired = check(f, "--repair");
    assertThat(repaired.code()).as(repaired.out()).isEqualTo(5); // the content is still missing
    assertThat(repaired.out())
        .contains("repaired: moved the index " + f.dir.resolve("store/packs"))
        .contains("repaired: recorded 3 missing contents as wanted")
        .contains("wanted back from devices");
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(data.wanted().hashes())
          .containsExactlyInAnyOrder(
              DataFolder.FIRST.values().stream()
                  .map(DataFolder::hash)
                  .toArray(io.vaultsync.core.hash.ContentHash[]::new));
    }
  }

  private static String firstHashOf(String out) {
    return out.replaceAll("(?s).*?e\\.g\\. (\\w+)\\).*", "$1");
  }

  @Test
  void theMasterFolderGivesBackWhatALostPackHeldWhenItStillHasIt() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    Files.delete(f.pack(0));
    try (LogCapture log = new LogCapture()) {
      assertThat(startAndClone(f, log)).isEqualTo(DataFolder.all());
      assertThat(log.lines(Level.INFO))
          .contains("vault notes: stored the content of 3 files again from its master folder");
    }
  }

  @Test
  void deletedIndexOfAFramedPackLosesNothingAndRepairRebuildsTheSameIndex() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    Path idx = f.index(1);
    byte[] original = Files.readAllBytes(idx);
    Files.delete(idx);
    Path pack = f.pack(1);
    f.loseMasterCopies();

    try (LogCapture log = new LogCapture()) {
      assertThat(startAndClone(f, log)).isEqualTo(DataFolder.all());
      assertThat(log.lines(Level.ERROR))
          .containsExactly(
              "store pack "
                  + pack
                  + " has no index (serving the 3 objects its record headers name): run"
                  + " `vaultsync server check --data "
                  + f.dir
                  + " --repair`");
      assertThat(log.anyStackTrace()).isFalse();
    }
    assertThat(pack).exists();

    CommandRun checked = check(f);
    assertThat(checked.code()).isEqualTo(5);
    assertThat(checked.out()).contains("problem: store pack " + pack + " has no index");
    CommandRun repaired = check(f, "--repair");
    assertThat(repaired.code()).as(repaired.out()).isZero();
    assertThat(repaired.out())
        .contains("repaired: rebuilt the index of " + pack + " from its record headers: 3 objects")
        .contains(": healthy");
    assertThat(Files.readAllBytes(idx)).isEqualTo(original);
  }

  @Test
  void deletedIndexOfAnOldUnframedPackIsRebuiltFromTheDatabasesContents() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    f.makeUnframed(0);
    Path idx = f.index(0);
    byte[] original = Files.readAllBytes(idx);
    Path pack = f.pack(0);
    Files.delete(idx);
    f.loseMasterCopies();

    try (LogCapture log = new LogCapture()) {
      cloneLacking(f, log, "n1.md", "n2.md", "n3.md");
      assertThat(log.lines(Level.ERROR).get(0))
          .isEqualTo(
              "store pack "
                  + pack
                  + " has no index (an unframed pack: its objects are not served until its index"
                  + " is rebuilt): run `vaultsync server check --data "
                  + f.dir
                  + " --repair`");
    }
    assertThat(pack).as("kept, not deleted").exists();

    CommandRun repaired = check(f, "--repair");
    assertThat(repaired.code()).as(repaired.out()).isZero();
    assertThat(repaired.out())
        .contains(
            "repaired: rebuilt the index of "
                + pack
                + " by matching the database's contents at each offset: 3 objects");
    assertThat(Files.readAllBytes(idx)).isEqualTo(original);
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(DataFolder.fetchAll(data)).isEqualTo(DataFolder.all());
      assertThat(data.wanted().isEmpty()).isTrue();
    }
  }

  @Test
  void flippedByteIsNeverServedTheCloneGetsTheRestAndRepairMovesThePackAside() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    String damaged = DataFolder.SECOND.get("sub/s2.md");
    Path pack = f.flipByteOf(damaged);
    f.loseMasterCopies();

    try (LogCapture log = new LogCapture()) {
      Map<String, String> got = cloneLacking(f, log, "sub/s2.md");
      // found while the start wrote the master folder, or by the fetch itself: never served
      assertThat(got.get("sub/s2.md"))
          .startsWith("not found: content " + DataFolder.hash(damaged).hex());
      assertThat(log.lines(Level.ERROR))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith("store pack " + pack + " holds a damaged object (content ")
                      .endsWith("its stored bytes hash differently); no longer serving it"))
          .anySatisfy(
              l ->
                  assertThat(l)
                      .startsWith(
                          "could not write sub/s2.md into the master folder of vault notes: the"
                              + " server's store lacks its content "
                              + DataFolder.hash(damaged).hex())
                      .endsWith(
                          "the server asks devices that hold it to give it back, and retries"));
      assertThat(log.anyStackTrace()).isFalse();
    }
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(data.wanted().hashes()).containsExactly(DataFolder.hash(damaged));
    }

    CommandRun checked = check(f);
    assertThat(checked.code()).isEqualTo(5);
    assertThat(checked.out())
        .contains(
            "problem: store pack "
                + pack
                + " holds a damaged object (content "
                + DataFolder.hash(damaged).hex())
        .contains("is missing: vault notes: sub/s2.md (head, seq 5)");

    CommandRun repaired = check(f, "--repair");
    assertThat(repaired.code()).as(repaired.out()).isEqualTo(5);
    assertThat(repaired.out())
        .contains(
            "repaired: moved pack "
                + pack
                + " with 1 damaged objects to "
                + f.dir.resolve("store/damaged"))
        .contains("its 2 intact objects are in pack");
    assertThat(pack).doesNotExist();
    try (var aside = Files.list(f.dir.resolve("store/damaged"))) {
      assertThat(aside.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.startsWith(pack.getFileName().toString()));
    }
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(DataFolder.fetchAll(data)).containsAllEntriesOf(allBut("sub/s2.md"));
    }
  }

  /**
   * With the master folder intact (the usual case), the read that finds the damage stores the
   * content again from the master file at once: the clone gets every file, and the server logs the
   * damage and the repair.
   */
  @Test
  void flippedByteIsHealedOnTheSpotFromTheMasterFolderAndTheCloneIsComplete() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    String damaged = DataFolder.SECOND.get("sub/s2.md");
    Path pack = f.flipByteOf(damaged);

    try (LogCapture log = new LogCapture()) {
      assertThat(startAndClone(f, log)).isEqualTo(DataFolder.all());
      assertThat(log.lines(Level.ERROR))
          .singleElement()
          .satisfies(
              l -> assertThat(l).startsWith("store pack " + pack + " holds a damaged object"));
      assertThat(log.lines(Level.INFO))
          .contains(
              "vault notes: stored content "
                  + DataFolder.hash(damaged).hex()
                  + " again from its master folder (sub/s2.md)");
    }
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(data.wanted().isEmpty()).isTrue();
      assertThat(DataFolder.fetchAll(data)).isEqualTo(DataFolder.all());
    }
  }

  @Test
  void truncatedIndexIsNamedAtStartAndItsPackStillServed() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    Path idx = f.index(0);
    byte[] original = Files.readAllBytes(idx);
    Files.write(idx, java.util.Arrays.copyOf(original, 100));
    f.loseMasterCopies();

    try (LogCapture log = new LogCapture()) {
      assertThat(startAndClone(f, log)).isEqualTo(DataFolder.all());
      assertThat(log.lines(Level.ERROR))
          .singleElement()
          .satisfies(
              l ->
                  assertThat(l)
                      .startsWith(
                          "store index "
                              + idx
                              + " is corrupt (pack index declares 3 entries in a file of 100 bytes")
                      .endsWith("): run `vaultsync server check --data " + f.dir + " --repair`"));
      assertThat(log.anyStackTrace()).isFalse();
    }
    CommandRun checked = check(f);
    assertThat(checked.code()).isEqualTo(5);
    assertThat(checked.out()).contains("problem: store index " + idx + " is corrupt");
    CommandRun repaired = check(f, "--repair");
    assertThat(repaired.code()).as(repaired.out()).isZero();
    assertThat(repaired.out()).contains("repaired: moved the corrupt index " + idx + " to ");
    assertThat(Files.readAllBytes(idx)).isEqualTo(original);
  }

  @Test
  void damagedDatabasePageStopsTheStartWithOneLineAndRepairRebuildsIt() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    f.damageDatabasePageOf("versions_by_path");

    CommandRun start = CommandRun.run("--data", f.dir.toString(), "--listen", "127.0.0.1:0");
    assertThat(start.code()).isEqualTo(2);
    assertThat(start.err().lines().toList())
        .singleElement()
        .satisfies(
            l ->
                assertThat(l)
                    .startsWith(
                        "vaultsync server: database "
                            + f.database()
                            + " is damaged (PRAGMA quick_check: ")
                    .endsWith(
                        "): stop here and run `vaultsync server check --data "
                            + f.dir
                            + " --repair`"));
    assertThatThrownBy(() -> ServerData.open(f.dir, Clock.systemUTC()))
        .isInstanceOf(DamagedDataException.class);

    CommandRun checked = check(f);
    assertThat(checked.code()).isEqualTo(5);
    assertThat(checked.out())
        .contains("problem: database " + f.database() + ": ")
        .contains("checked the database (damaged: its references were not checked) and 2 packs");
    CommandRun repaired = check(f, "--repair");
    assertThat(repaired.code()).as(repaired.out()).isZero();
    assertThat(repaired.out())
        .contains("repaired: rebuilt " + f.database() + ": ")
        .contains(
            "repaired: moved the damaged " + f.database() + " to " + f.dir.resolve("damaged"));
    try (ServerData data = ServerData.open(f.dir, Clock.systemUTC())) {
      assertThat(DataFolder.fetchAll(data)).isEqualTo(DataFolder.all());
      assertThat(
              data.vaults()
                  .history()
                  .versions(
                      io.vaultsync.server.ledger.VaultName.of(DataFolder.VAULT),
                      io.vaultsync.model.tree.NotePath.of("n1.md"),
                      Long.MAX_VALUE,
                      10))
          .hasSize(1);
    }
  }

  /** A head stored before the server refused trees no client can hold is named by server check. */
  @Test
  void checkNamesAHeadNoClientCanHold() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    try (java.sql.Connection c =
            java.sql.DriverManager.getConnection("jdbc:sqlite:" + f.database());
        java.sql.PreparedStatement ps =
            c.prepareStatement(
                "INSERT INTO head (vault_id, path, hash, size, seq)"
                    + " SELECT vault_id, 'n1.md/child.md', hash, size, seq FROM head"
                    + " WHERE path = 'n2.md'")) {
      ps.executeUpdate();
    }
    CommandRun checked = check(f);
    assertThat(checked.code()).isEqualTo(5);
    assertThat(checked.lines())
        .anySatisfy(
            l ->
                assertThat(l)
                    .startsWith("problem: vault notes: n1.md")
                    .contains("(head) no client can hold: "));
  }

  @Test
  void checkRefusesToRunBesideARunningServer() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    try (ServerData running = ServerData.open(f.dir, Clock.systemUTC())) {
      CommandRun r = check(f);
      assertThat(r.code()).isEqualTo(2);
      assertThat(r.err().trim())
          .isEqualTo(
              "vaultsync server check: another vaultsync server is using "
                  + f.dir
                  + ": stop it first");
    }
  }

  @Test
  void healthyFolderChecksHealthyWithExitZeroAndJson() throws Exception {
    DataFolder f = new DataFolder(tmp.resolve("data")).build();
    CommandRun checked = check(f);
    assertThat(checked.code()).isZero();
    assertThat(checked.lines())
        .containsExactly(
            "checked the database, 2 packs (6 objects, "
                + (Files.size(f.pack(0)) + Files.size(f.pack(1)))
                + " bytes) and 18 references in 1 vault: healthy");
    CommandRun json = check(f, "--json");
    assertThat(json.out().trim())
        .startsWith(
            "{\"command\":\"check\",\"healthy\":true,\"databaseRead\":true,\"packs\":2,\"objects\":6,")
        .endsWith("\"problems\":[],\"repaired\":[]}");
  }
}
