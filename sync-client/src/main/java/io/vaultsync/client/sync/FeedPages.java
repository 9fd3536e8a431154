package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.SyncProtocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads the change feed after a seq to its end, page by page ({@link SyncProtocol#changesSince}),
 * checking that the pages fold over that seq: no gap, nothing compacted away, a head not behind it.
 */
final class FeedPages {
  /** Changes asked for per page. */
  static final int PAGE = 1000;

  private FeedPages() {}

  /**
   * What the feed after a seq holds.
   *
   * @param changes every change after the seq, or null when they cannot be folded over it
   * @param compacted whether that is because the server compacted its ledger past the seq (a
   *     snapshot may then serve: {@link SnapshotCatchUp}); otherwise a gap (a restored backup)
   */
  record Read(ChangesAfter changes, boolean compacted) {}

  /**
   * Reads every change after {@code after}, adding the content each page asks back to {@code
   * wanted} (null: not collected).
   */
  static Read after(
      SyncProtocol transport, String vault, long after, Collection<ContentHash> wanted)
      throws IOException {
    return after(transport, vault, after, wanted, null);
  }

  /**
   * As above, asking for folder moves when {@code folders} can turn them back into per-file moves
   * (null: per-file moves only).
   */
  static Read after(
      SyncProtocol transport,
      String vault,
      long after,
      Collection<ContentHash> wanted,
      FolderMoveExpansion folders)
      throws IOException {
    long from = after;
    List<Change> changes = new ArrayList<>();
    long head = after;
    while (true) {
      ChangePage page = transport.changesSince(vault, after, PAGE, folders != null);
      if (wanted != null) {
        wanted.addAll(page.wanted());
      }
      if (page.compactedAfter(after)) {
        return new Read(null, true);
      }
      if (page.headSeq() < from
          || (page.changes().isEmpty() && page.headSeq() > after)
          || (!page.changes().isEmpty() && page.changes().get(0).firstSeq() != after + 1)) {
        return new Read(null, false);
      }
      for (Change c : page.changes()) {
        if (c.op() == Change.Op.MOVE_FOLDER) {
          if (folders == null) {
            throw new IOException("the server sent a folder move that was not asked for: " + c);
          }
          changes.addAll(folders.expand(c, changes));
        } else {
          changes.add(c);
        }
      }
      head = Math.max(head, page.headSeq());
      if (!page.changes().isEmpty()) {
        after = page.changes().get(page.changes().size() - 1).seq();
      }
      if (!page.hasMore()) {
        return new Read(new ChangesAfter(changes, head), false);
      }
    }
  }
}
