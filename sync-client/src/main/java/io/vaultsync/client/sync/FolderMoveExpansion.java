package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.SyncProtocol;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Turns a {@link Change.Op#MOVE_FOLDER} of the feed back into the per-file moves it stands for, so
 * everything after the feed (folding, planning, applying) sees files as before: the folder's files
 * are the index's below it with the feed's earlier changes applied, moved in path order with seqs
 * {@code firstSeq ..} (the order the server numbered them in). When those files are not exactly the
 * ones the server moved (their count or Merkle root differ: the index is not at the feed's seq),
 * the per-file moves are read from the server instead ({@link SyncProtocol#changesSince} without
 * folder moves), which costs bytes but never a wrong move.
 */
final class FolderMoveExpansion {
  private final SyncProtocol transport;
  private final String vault;
  private final LocalIndex index;

  /** A reader of folder moves over {@code index}'s versions (the feed after its last seq). */
  FolderMoveExpansion(SyncProtocol transport, String vault, LocalIndex index) {
    this.transport = transport;
    this.vault = vault;
    this.index = index;
  }

  /** The per-file moves of {@code move}, given the feed's {@code earlier} changes before it. */
  List<Change> expand(Change move, List<Change> earlier) throws IOException {
    List<Change> local = fromIndex(move, earlier);
    return local != null ? local : fromServer(move);
  }

  private List<Change> fromIndex(Change move, List<Change> earlier) {
    NotePath from = move.previousPath();
    String prefix = from.value() + "/";
    TreeMap<NotePath, IndexEntry> files = new TreeMap<>();
    for (Map.Entry<NotePath, IndexEntry> e :
        index.entries().tailMap(NotePath.of(from.value()), false).entrySet()) {
      String p = e.getKey().value();
      if (p.startsWith(prefix)) {
        files.put(e.getKey(), e.getValue());
      } else if (!p.startsWith(from.value())) {
        break;
      }
    }
    for (Change c : earlier) {
      if (c.op() == Change.Op.MOVE && c.previousPath().startsWith(from)) {
        files.remove(c.previousPath());
      }
      if (c.path().startsWith(from) && !c.path().equals(from)) {
        if (c.op() == Change.Op.DELETE) {
          files.remove(c.path());
        } else {
          files.put(c.path(), new IndexEntry(c.path(), c.size(), 0, c.hash(), null));
        }
      }
    }
    MerkleTree tree = new MerkleTree();
    files.values().forEach(e -> tree.add(e.path(), e.hash()));
    if (files.size() != move.size() || !tree.root().digest().equals(move.hash())) {
      return null;
    }
    List<Change> out = new ArrayList<>(files.size());
    long seq = move.firstSeq();
    for (IndexEntry e : files.values()) {
      out.add(
          new Change(
              seq++,
              Change.Op.MOVE,
              e.path().rebase(from, move.path()),
              e.path(),
              e.hash(),
              e.size(),
              move.device(),
              move.time()));
    }
    return out;
  }

  private List<Change> fromServer(Change move) throws IOException {
    List<Change> out = new ArrayList<>();
    long after = move.firstSeq() - 1;
    while (after < move.seq()) {
      ChangePage page =
          transport.changesSince(vault, after, (int) Math.min(FeedPages.PAGE, move.seq() - after));
      if (page.changes().isEmpty()) {
        throw new IOException(
            "the server sent a folder move of "
                + move.previousPath()
                + " to "
                + move.path()
                + " at seq "
                + move.seq()
                + " but no change after seq "
                + after);
      }
      for (Change c : page.changes()) {
        if (c.seq() <= move.seq()) {
          out.add(c);
          after = c.seq();
        } else {
          after = move.seq();
        }
      }
    }
    return out;
  }
}
