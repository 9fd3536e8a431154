package io.vaultsync.server.retention;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.transport.Change;
import io.vaultsync.core.transport.ChangePage;
import io.vaultsync.core.transport.RemoteEntry;
import io.vaultsync.core.transport.VaultInfo;
import io.vaultsync.core.tree.NotePath;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.DeltaPlan;
import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Builds the {@link DeltaPlan} of a repack from the ledger: each old version of a file may be
 * stored as a delta against the version that replaced it at the same path (a MOVE carries the file
 * to its new path without new content), and every vault's head stays whole. Reads the ledger from
 * its compacted horizon on, one page at a time; versions older than the horizon keep the encoding
 * they have.
 */
public final class DeltaPlanner {
  static final int PAGE = 2_000;

  private DeltaPlanner() {}

  public static DeltaPlan fromLedger(LedgerStore ledger) throws IOException {
    Map<ContentHash, ContentHash> newerOf = new HashMap<>();
    Set<ContentHash> heads = new HashSet<>();
    for (VaultInfo info : ledger.vaults()) {
      VaultName vault = VaultName.of(info.name());
      for (RemoteEntry e : ledger.manifest(vault).entries()) {
        heads.add(e.hash());
      }
      Map<NotePath, ContentHash> current = new HashMap<>();
      long after = 0;
      while (true) {
        ChangePage page = ledger.changesSince(vault, after, PAGE);
        if (page.compactedAfter(after)) {
          after = page.horizonSeq();
          continue;
        }
        for (Change c : page.changes()) {
          switch (c.op()) {
            case PUT -> {
              ContentHash old = current.put(c.path(), c.hash());
              if (old != null && !old.equals(c.hash())) {
                newerOf.putIfAbsent(old, c.hash());
              }
            }
            case DELETE -> current.remove(c.path());
            case MOVE -> {
              current.remove(c.previousPath());
              current.put(c.path(), c.hash());
            }
          }
          after = c.seq();
        }
        if (!page.hasMore()) {
          break;
        }
      }
    }
    return new DeltaPlan(newerOf, heads);
  }
}
