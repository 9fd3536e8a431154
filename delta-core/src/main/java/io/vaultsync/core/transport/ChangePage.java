package io.vaultsync.core.transport;

import java.util.List;

/**
 * A page of ledger entries.
 *
 * @param changes oldest first
 * @param headSeq the vault's latest sequence number when the page was read
 */
public record ChangePage(List<Change> changes, long headSeq) {
  public ChangePage {
    changes = List.copyOf(changes);
  }

  /** Whether more changes follow this page. */
  public boolean hasMore() {
    return !changes.isEmpty() && changes.get(changes.size() - 1).seq() < headSeq;
  }
}
