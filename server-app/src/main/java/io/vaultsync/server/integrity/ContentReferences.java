package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Objects;

/**
 * Every place the database names content: the head of each vault, its version history, its kept
 * snapshots and the ledger rows not yet compacted. What {@code server check} and the quick check at
 * start compare the content store against.
 */
public final class ContentReferences {
  /** Where a reference comes from. */
  public enum Source {
    HEAD("head"),
    HISTORY("history"),
    SNAPSHOT("snapshot"),
    LEDGER("ledger");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    @Override
    public String toString() {
      return label;
    }
  }

  /**
   * One reference: content {@code hash} of {@code size} bytes at {@code path} of {@code vault}, as
   * of {@code seq} (the change that wrote it; for a snapshot, the snapshot's seq).
   */
  public record Reference(
      Source source, String vault, String path, long seq, ContentHash hash, long size) {
    public Reference {
      Objects.requireNonNull(source, "source");
      Objects.requireNonNull(hash, "hash");
    }

    /** For people: {@code vault notes: Daily/x.md (head, seq 12)}. */
    public String describe() {
      return "vault " + vault + ": " + path + " (" + source + ", seq " + seq + ")";
    }
  }

  /** Takes references one at a time. */
  @FunctionalInterface
  public interface Visitor {
    void visit(Reference r) throws IOException;
  }

  private ContentReferences() {}

  /** Visits the head of every vault, in vault and path order. */
  public static void head(Database db, Visitor visitor) throws IOException {
    query(
        db,
        Source.HEAD,
        "SELECT v.name, h.path, h.seq, h.hash, h.size FROM head h JOIN vaults v ON v.id = h.vault_id"
            + " ORDER BY v.name, h.path",
        visitor);
  }

  /** Visits every reference: head, history, snapshots, ledger, in that order. */
  public static void all(Database db, Visitor visitor) throws IOException {
    head(db, visitor);
    query(
        db,
        Source.HISTORY,
        "SELECT v.name, x.path, x.seq, x.hash, x.size FROM versions x JOIN vaults v"
            + " ON v.id = x.vault_id ORDER BY v.name, x.seq",
        visitor);
    query(
        db,
        Source.SNAPSHOT,
        "SELECT v.name, x.path, x.snapshot_seq, x.hash, x.size FROM snapshot_entries x JOIN vaults v"
            + " ON v.id = x.vault_id ORDER BY v.name, x.snapshot_seq, x.path",
        visitor);
    query(
        db,
        Source.LEDGER,
        "SELECT v.name, x.path, x.seq, x.hash, x.size FROM changes x JOIN vaults v"
            + " ON v.id = x.vault_id ORDER BY v.name, x.seq",
        visitor);
  }

  private static void query(Database db, Source source, String sql, Visitor visitor)
      throws IOException {
    db.read(
        c -> {
          try (PreparedStatement ps = c.prepareStatement(sql);
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              visitor.visit(
                  new Reference(
                      source,
                      rs.getString(1),
                      rs.getString(2),
                      rs.getLong(3),
                      ContentHash.of(rs.getBytes(4)),
                      rs.getLong(5)));
            }
          }
          return null;
        });
  }
}
