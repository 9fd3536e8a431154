package io.vaultsync.server.ledger;

import io.vaultsync.server.db.Sql;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;

/**
 * A vault's row in the {@code vaults} table of the server's SQLite database: what the stores read
 * before touching the vault's other rows.
 *
 * @param id the row id other tables refer to ({@code vault_id})
 * @param headSeq the vault's latest seq
 * @param mirroredSeq up to which seq the master folder mirrors head
 * @param horizonSeq the seq below which the ledger was compacted
 * @param historyFloor the seq below which the version history was thinned
 */
public record VaultRow(
    long id, long headSeq, long mirroredSeq, long horizonSeq, long historyFloor) {
  private static final String SELECT =
      "SELECT id, head_seq, mirrored_seq, horizon_seq, history_floor FROM vaults WHERE name = ?";

  /** The row of {@code vault}, or null if there is no such vault. */
  public static VaultRow find(Connection c, VaultName vault) throws SQLException {
    return Sql.first(
        c,
        SELECT,
        rs ->
            new VaultRow(rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5)),
        vault.value());
  }

  /**
   * The row of {@code vault}.
   *
   * @throws io.vaultsync.protocol.NotFoundException if there is no such vault
   */
  public static VaultRow require(Connection c, VaultName vault) throws SQLException, IOException {
    VaultRow v = find(c, vault);
    if (v == null) {
      throw LedgerStore.noVault(vault);
    }
    return v;
  }
}
