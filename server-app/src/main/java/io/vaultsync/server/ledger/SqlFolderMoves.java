package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.time.Instant;
import java.util.List;

/**
 * The folder moves of the vaults: one row per {@link io.vaultsync.protocol.Mutation.MoveFolder}
 * applied, standing for the per-file MOVE rows {@code first_seq .. last_seq} of the ledger (which
 * stay the truth: history, the head, snapshots and compaction read those). A reader that asks for
 * folder moves gets the run as one change ({@link io.vaultsync.protocol.FolderMoves}); a row lost
 * (a crash between the ledger's commit and this one) only makes the run reach it per file. The
 * table is made on first use (SQLite) or by the migration {@code V3__folder_moves.sql}
 * (PostgreSQL), so a database it was never used with is not changed.
 */
final class SqlFolderMoves {
  private final Database db;

  /** Whether the table is known to exist (made on first use). */
  private volatile boolean made;

  SqlFolderMoves(Database db) {
    this.db = db;
  }

  private void make() throws IOException {
    if (made) {
      return;
    }
    db.createTablesIfMissing(
        "CREATE TABLE IF NOT EXISTS folder_moves ("
            + " vault_id INTEGER NOT NULL,"
            + " first_seq INTEGER NOT NULL,"
            + " last_seq INTEGER NOT NULL,"
            + " from_path TEXT NOT NULL,"
            + " to_path TEXT NOT NULL,"
            + " root BLOB NOT NULL,"
            + " device TEXT NOT NULL,"
            + " time_ms INTEGER NOT NULL,"
            + " PRIMARY KEY (vault_id, first_seq)) WITHOUT ROWID");
    made = true;
  }

  /** Records {@code moves} ({@link Change.Op#MOVE_FOLDER} changes) of {@code vault}. */
  void record(VaultName vault, List<Change> moves) throws IOException {
    if (moves.isEmpty()) {
      return;
    }
    make();
    db.transaction(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          for (Change m : moves) {
            Sql.update(
                c,
                "INSERT INTO folder_moves (vault_id, first_seq, last_seq, from_path, to_path, root,"
                    + " device, time_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                v.id(),
                m.firstSeq(),
                m.seq(),
                m.previousPath().value(),
                m.path().value(),
                m.hash().toBytes(),
                m.device(),
                m.time().toEpochMilli());
          }
          return null;
        });
  }

  /** See {@link io.vaultsync.protocol.FolderMoves.Lookup}. */
  List<Change> between(VaultName vault, long afterSeq, long atMost) throws IOException {
    make();
    return db.read(
        c -> {
          VaultRow v = VaultRow.require(c, vault);
          return Sql.list(
              c,
              "SELECT first_seq, last_seq, from_path, to_path, root, device, time_ms"
                  + " FROM folder_moves WHERE vault_id = ? AND first_seq > ? AND first_seq <= ?"
                  + " ORDER BY first_seq",
              rs ->
                  new Change(
                      rs.getLong(2),
                      Change.Op.MOVE_FOLDER,
                      NotePath.of(rs.getString(4)),
                      NotePath.of(rs.getString(3)),
                      ContentHash.of(rs.getBytes(5)),
                      rs.getLong(2) - rs.getLong(1) + 1,
                      rs.getString(6),
                      Instant.ofEpochMilli(rs.getLong(7))),
              v.id(),
              afterSeq,
              atMost);
        });
  }
}
