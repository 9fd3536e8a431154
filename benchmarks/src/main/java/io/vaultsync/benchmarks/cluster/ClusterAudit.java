package io.vaultsync.benchmarks.cluster;

import io.vaultsync.benchmarks.crash.FolderState;
import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.SyncProtocol;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The cluster check's audits of what the servers stored, each a count of what is wrong: ledger seqs
 * that are not gap-free (read from the database itself), acknowledged changes missing from the
 * ledger, objects the ledger references that the store cannot give back, and a folder whose Merkle
 * root differs from the head's.
 */
final class ClusterAudit {
  private ClusterAudit() {}

  /**
   * Per vault, the seqs of {@code changes} must be exactly 1..{@code vaults.head_seq}; the number
   * of seqs missing, repeated or beyond the head, summed over the vaults. Read over JDBC from the
   * database the servers share (PostgreSQL, or the embedded server's SQLite file).
   */
  static long seqGaps(String jdbcUrl, Consumer<String> log) throws SQLException {
    long bad = 0;
    try (Connection c = DriverManager.getConnection(jdbcUrl);
        Statement s = c.createStatement();
        ResultSet r =
            s.executeQuery(
                "SELECT v.id, v.name, v.head_seq, c.seq FROM vaults v"
                    + " LEFT JOIN changes c ON c.vault_id = v.id ORDER BY v.id, c.seq")) {
      Object vault = null;
      String name = null;
      long head = 0;
      long expected = 1;
      while (r.next()) {
        Object id = r.getObject(1);
        if (!id.equals(vault)) {
          bad += vaultEnd(name, head, expected, log);
          vault = id;
          name = r.getString(2);
          head = r.getLong(3);
          expected = 1;
        }
        long seq = r.getLong(4);
        if (r.wasNull()) {
          continue; // a vault without changes
        }
        if (seq != expected || seq > head) {
          log.accept("ledger of " + name + ": seq " + seq + " where " + expected + " was due");
          bad++;
        }
        expected = Math.max(expected, seq + 1);
      }
      bad += vaultEnd(name, head, expected, log);
    }
    return bad;
  }

  private static long vaultEnd(String name, long head, long expected, Consumer<String> log) {
    if (name == null || expected - 1 >= head) {
      return 0;
    }
    log.accept("ledger of " + name + ": ends at " + (expected - 1) + ", head_seq is " + head);
    return head - (expected - 1);
  }

  /** The count of acknowledged changes and how many of them the ledger lacks. */
  record Acks(long acked, long lost) {}

  /**
   * Acknowledged: every change a live subscriber was delivered (the server publishes only what it
   * committed), which must be in the ledger at its seq, as delivered; and every version a client
   * was told is committed ({@code path NUL hash}), which must be in the ledger at some seq. {@code
   * acked} counts the ledger entries so confirmed plus the acknowledgements that found none.
   */
  static Acks acks(
      List<Change> ledger,
      Collection<Map<Long, Change>> delivered,
      Collection<String> clientVersions,
      Consumer<String> log) {
    Map<Long, Change> bySeq = new LinkedHashMap<>();
    Map<String, Long> byVersion = new LinkedHashMap<>();
    for (Change c : ledger) {
      bySeq.put(c.seq(), c);
      if (c.op() != Change.Op.DELETE) {
        byVersion.put(c.path().value() + "\u0000" + c.hash().hex(), c.seq());
      }
    }
    Set<Long> confirmed = new LinkedHashSet<>();
    long lost = 0;
    for (Map<Long, Change> feed : delivered) {
      for (Change heard : feed.values()) {
        Change now = bySeq.get(heard.seq());
        if (now != null
            && now.op() == heard.op()
            && now.path().equals(heard.path())
            && Objects.equals(now.previousPath(), heard.previousPath())
            && now.hash().equals(heard.hash())) {
          confirmed.add(heard.seq());
        } else {
          lost++;
          log.accept("delivered change " + heard.seq() + " " + heard.path() + " is now " + now);
        }
      }
    }
    for (String v : clientVersions) {
      Long seq = byVersion.get(v);
      if (seq != null) {
        confirmed.add(seq);
      } else {
        lost++;
        log.accept("acknowledged version " + v.replace('\u0000', '@') + " is not in the ledger");
      }
    }
    return new Acks(confirmed.size() + lost, lost);
  }

  /**
   * Every distinct content the ledger references (each put or move), fetched from {@code remote}
   * whole and checked against its SHA-256; how many are missing or damaged.
   */
  static long missingObjects(
      SyncProtocol remote, String vault, List<Change> ledger, Consumer<String> log) {
    Set<ContentHash> hashes = new LinkedHashSet<>();
    for (Change c : ledger) {
      if (c.op() != Change.Op.DELETE) {
        hashes.add(c.hash());
      }
    }
    long missing = 0;
    for (ContentHash h : hashes) {
      try {
        ByteArrayOutputStream delta = new ByteArrayOutputStream();
        remote.fetch(vault, h, null, delta);
        byte[] bytes = Deltas.patch(new byte[0], delta.toByteArray());
        if (!ContentHash.digestOf(bytes).equals(h)) {
          missing++;
          log.accept("object " + h.hex() + " comes back with other content");
        }
      } catch (IOException | RuntimeException e) {
        missing++;
        log.accept("object " + h.hex() + ": " + e.getMessage());
      }
    }
    return missing;
  }

  /** The Merkle root of a folder as a person sees it (state folder and temporary files aside). */
  static MerkleRoot rootOf(Path folder) throws IOException {
    Map<NotePath, ContentHash> sorted = new java.util.TreeMap<>();
    FolderState.of(folder).files().forEach((p, h) -> sorted.put(NotePath.of(p), h));
    MerkleTree tree = new MerkleTree();
    sorted.forEach(tree::add);
    return tree.root();
  }
}
