package io.vaultsync.server.ledger;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The rows the ledger's tables share ({@code head}, {@code snapshot_entries}, {@code changes},
 * {@code versions}), mapped to values once. Each method names the columns it reads, in order.
 */
final class LedgerRows {
  /** The columns {@link #change} reads. */
  static final String CHANGE_COLUMNS = "seq, op, path, previous_path, hash, size, device, time_ms";

  private LedgerRows() {}

  /** (path, hash, size, seq): a file at head, in a snapshot or in the history. */
  static RemoteEntry entry(ResultSet rs) throws SQLException {
    return new RemoteEntry(
        NotePath.of(rs.getString(1)), ContentHash.of(rs.getBytes(2)), rs.getLong(3), rs.getLong(4));
  }

  /** {@link #CHANGE_COLUMNS}: a change, marked {@code confirmed} as the caller read it. */
  static Change change(ResultSet rs, boolean confirmed) throws SQLException {
    return new Change(
        rs.getLong(1),
        Change.Op.valueOf(rs.getString(2)),
        NotePath.of(rs.getString(3)),
        pathOrNull(rs.getString(4)),
        ContentHash.of(rs.getBytes(5)),
        rs.getLong(6),
        rs.getString(7),
        Instant.ofEpochMilli(rs.getLong(8)),
        confirmed);
  }

  /** A nullable path column. */
  static NotePath pathOrNull(String value) {
    return value == null ? null : NotePath.of(value);
  }

  /** A nullable path as a column value. */
  static String valueOrNull(NotePath path) {
    return path == null ? null : path.value();
  }
}
