package io.vaultsync.server.integrity;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.server.db.SqliteDatabase;
import java.io.IOException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The tree rules in {@code server check} (issue 12 item 5, delta-core {@link TreeShape}): a head
 * that holds a file and a child of it, or a name only clients may use, is a problem no client can
 * sync (each names it as not synced). One line per path; the server refuses such commits, so only
 * data stored before that refusal existed, or written into a master folder by hand, can hold them.
 */
public final class TreeRulesStep implements ServerCheck.Step {
  @Override
  public void check(SqliteDatabase db, List<ServerCheck.Finding> findings) throws IOException {
    Map<String, List<NotePath>> heads = new LinkedHashMap<>();
    db.read(
        c -> {
          try (PreparedStatement ps =
                  c.prepareStatement(
                      "SELECT v.name, h.path FROM head h JOIN vaults v ON v.id = h.vault_id"
                          + " ORDER BY v.name, h.path");
              ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              heads
                  .computeIfAbsent(rs.getString(1), v -> new ArrayList<>())
                  .add(NotePath.of(rs.getString(2)));
            }
          }
          return null;
        });
    heads.forEach(
        (vault, paths) -> {
          for (TreeShape.Clash clash : TreeShape.clashes(paths)) {
            findings.add(
                new ServerCheck.Finding(
                    "tree",
                    "vault "
                        + vault
                        + ": "
                        + clash.path()
                        + " (head) no client can hold: "
                        + clash.reason()));
          }
        });
  }
}
