package io.vaultsync.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClusterAuditTest {
  @TempDir Path tmp;

  /** A ledger database with the server's table shapes: vault "a" at head 5, "b" at head 2. */
  private String ledger(long[] seqsOfA, long[] seqsOfB) throws Exception {
    String url = "jdbc:sqlite:" + tmp.resolve("ledger.db");
    try (Connection c = DriverManager.getConnection(url);
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE vaults (id INTEGER PRIMARY KEY, name TEXT, head_seq INTEGER)");
      s.execute(
          "CREATE TABLE changes (vault_id INTEGER, seq INTEGER, PRIMARY KEY (vault_id, seq))");
      s.execute("INSERT INTO vaults VALUES (1, 'a', 5), (2, 'b', 2), (3, 'empty', 0)");
      for (long q : seqsOfA) {
        s.execute("INSERT INTO changes VALUES (1, " + q + ")");
      }
      for (long q : seqsOfB) {
        s.execute("INSERT INTO changes VALUES (2, " + q + ")");
      }
    }
    return url;
  }

  @Test
  void aGapFreeLedgerHasNoGaps() throws Exception {
    String url = ledger(new long[] {1, 2, 3, 4, 5}, new long[] {1, 2});
    assertThat(ClusterAudit.seqGaps(url, l -> {})).isZero();
  }

  @Test
  void aMissingSeqInsideTheLedgerIsAGap() throws Exception {
    List<String> said = new ArrayList<>();
    String url = ledger(new long[] {1, 2, 4, 5}, new long[] {1, 2});
    assertThat(ClusterAudit.seqGaps(url, said::add)).isEqualTo(1);
    assertThat(said).singleElement().asString().contains("ledger of a: seq 4 where 3 was due");
  }

  @Test
  void aLedgerEndingBeforeItsHeadHasGaps() throws Exception {
    String url = ledger(new long[] {1, 2, 3, 4, 5}, new long[] {1});
    assertThat(ClusterAudit.seqGaps(url, l -> {})).isEqualTo(1);
  }

  private static Change put(long seq, String path, String text) {
    return new Change(
        seq,
        Change.Op.PUT,
        NotePath.of(path),
        null,
        ContentHash.digestOf(text.getBytes(StandardCharsets.UTF_8)),
        text.length(),
        "d",
        Instant.EPOCH);
  }

  private static String version(String path, String text) {
    return path + "\u0000" + ContentHash.digestOf(text.getBytes(StandardCharsets.UTF_8)).hex();
  }

  @Test
  void everyAcknowledgementInTheLedgerIsCountedOnce() {
    List<Change> ledger = List.of(put(1, "a.md", "one"), put(2, "b.md", "two"));
    ClusterAudit.Acks acks =
        ClusterAudit.acks(
            ledger,
            List.of(Map.of(1L, ledger.get(0)), Map.of(1L, ledger.get(0), 2L, ledger.get(1))),
            List.of(version("a.md", "one"), version("b.md", "two")),
            l -> {});
    assertThat(acks).isEqualTo(new ClusterAudit.Acks(2, 0));
  }

  @Test
  void aDeliveredChangeThatTheLedgerHoldsOtherwiseIsLost() {
    List<Change> ledger = List.of(put(1, "a.md", "one"), put(2, "b.md", "two"));
    ClusterAudit.Acks acks =
        ClusterAudit.acks(ledger, List.of(Map.of(2L, put(2, "b.md", "other"))), List.of(), l -> {});
    assertThat(acks).isEqualTo(new ClusterAudit.Acks(1, 1));
  }

  @Test
  void aVersionAClientWasToldIsCommittedButTheLedgerLacksIsLost() {
    List<Change> ledger = List.of(put(1, "a.md", "one"));
    ClusterAudit.Acks acks =
        ClusterAudit.acks(
            ledger, List.of(), List.of(version("a.md", "one"), version("a.md", "two")), l -> {});
    assertThat(acks).isEqualTo(new ClusterAudit.Acks(2, 1));
  }

  @Test
  void aFolderRootIsTheMerkleRootOfItsFilesInPathOrder() throws Exception {
    // "a-b.md" sorts before "a/b.md" as text but after it as a path
    Files.createDirectories(tmp.resolve("f/a"));
    Files.writeString(tmp.resolve("f/a/b.md"), "x");
    Files.writeString(tmp.resolve("f/a-b.md"), "y");
    Files.createDirectories(tmp.resolve("f/.vaultsync"));
    Files.writeString(tmp.resolve("f/.vaultsync/index"), "state, not a note");
    MerkleTree expected = new MerkleTree();
    java.util.TreeMap<NotePath, ContentHash> sorted = new java.util.TreeMap<>();
    sorted.put(NotePath.of("a/b.md"), ContentHash.digestOf("x".getBytes(StandardCharsets.UTF_8)));
    sorted.put(NotePath.of("a-b.md"), ContentHash.digestOf("y".getBytes(StandardCharsets.UTF_8)));
    sorted.forEach(expected::add);
    assertThat(ClusterAudit.rootOf(tmp.resolve("f"))).isEqualTo(expected.root());
  }
}
