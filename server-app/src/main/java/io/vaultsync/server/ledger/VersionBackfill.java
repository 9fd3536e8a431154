package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.server.db.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Schema version 3's migration: fills {@code versions} from the ledger rows a version-2 database
 * has, computing file ids by replaying them in seq order (the rule of {@link VersionRows}).
 *
 * <p>A vault whose ledger was compacted (horizon H > 0) lost the rows up to H. Its history starts
 * from the oldest kept snapshot S >= H: each file of that snapshot last changed at or before H gets
 * a PUT row at that seq (device {@value VersionRows#UNKNOWN_DEVICE}, time the vault's creation,
 * which is earlier than the truth), the kept ledger rows follow, and the vault's {@code
 * history_floor} becomes S, below which {@code manifestAt} answers "thinned". Without a snapshot at
 * or above H (not expected: compaction never passes the oldest one) the head's files seed it and
 * the floor is the head seq.
 */
public final class VersionBackfill {
  private VersionBackfill() {}

  /** One row being built: the change, its file id and the seq that ended it (0: current). */
  private static final class Row {
    final Change change;
    final long fileId;
    long ended;

    Row(Change change, long fileId) {
      this.change = change;
      this.fileId = fileId;
    }
  }

  public static void run(Connection c) throws SQLException {
    List<long[]> vaults = new ArrayList<>(); // id, created_ms, head_seq, horizon_seq
    try (PreparedStatement ps =
            c.prepareStatement("SELECT id, created_ms, head_seq, horizon_seq FROM vaults");
        ResultSet rs = ps.executeQuery()) {
      while (rs.next()) {
        vaults.add(new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)});
      }
    }
    for (long[] v : vaults) {
      backfill(c, v[0], Instant.ofEpochMilli(v[1]), v[2], v[3]);
    }
  }

  private static void backfill(Connection c, long vaultId, Instant created, long head, long horizon)
      throws SQLException {
    List<Row> rows = new ArrayList<>();
    Map<NotePath, Row> current = new HashMap<>();
    long floor = 0;
    if (horizon > 0) {
      Long snapshot = oldestSnapshotFrom(c, vaultId, horizon);
      floor = snapshot == null ? head : snapshot;
      String seeds =
          snapshot == null
              ? "SELECT path, hash, size, seq FROM head WHERE vault_id = ? AND seq <= ?"
                  + " ORDER BY seq"
              : "SELECT path, hash, size, seq FROM snapshot_entries"
                  + " WHERE vault_id = ? AND seq <= ? AND snapshot_seq = ? ORDER BY seq";
      try (PreparedStatement ps = c.prepareStatement(seeds)) {
        ps.setLong(1, vaultId);
        ps.setLong(2, horizon);
        if (snapshot != null) {
          ps.setLong(3, snapshot);
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            Change seed =
                new Change(
                    rs.getLong(4),
                    Change.Op.PUT,
                    NotePath.of(rs.getString(1)),
                    null,
                    ContentHash.of(rs.getBytes(2)),
                    rs.getLong(3),
                    VersionRows.UNKNOWN_DEVICE,
                    created);
            Row row = new Row(seed, seed.seq());
            rows.add(row);
            current.put(seed.path(), row);
          }
        }
      }
    }
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT "
                + LedgerRows.CHANGE_COLUMNS
                + " FROM changes WHERE vault_id = ? ORDER BY seq")) {
      ps.setLong(1, vaultId);
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Change ch = LedgerRows.change(rs, false);
          NotePath source = ch.op() == Change.Op.MOVE ? ch.previousPath() : ch.path();
          Row replaced = current.remove(source);
          if (replaced != null) {
            replaced.ended = ch.seq();
          }
          if (ch.op() == Change.Op.MOVE) {
            Row overwritten = current.remove(ch.path());
            if (overwritten != null) {
              overwritten.ended = ch.seq();
            }
          }
          Row row = new Row(ch, replaced == null ? ch.seq() : replaced.fileId);
          rows.add(row);
          if (ch.op() != Change.Op.DELETE) {
            current.put(ch.path(), row);
          }
        }
      }
    }
    try (VersionRows out = new VersionRows(c)) {
      for (Row row : rows) {
        out.insert(vaultId, row.change, row.fileId, row.ended == 0 ? null : row.ended);
      }
    }
    Sql.update(c, "UPDATE vaults SET history_floor = ? WHERE id = ?", floor, vaultId);
  }

  private static Long oldestSnapshotFrom(Connection c, long vaultId, long horizon)
      throws SQLException {
    return Sql.number(
        c, "SELECT min(seq) FROM snapshots WHERE vault_id = ? AND seq >= ?", vaultId, horizon);
  }
}
