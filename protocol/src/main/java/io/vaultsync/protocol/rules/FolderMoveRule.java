package io.vaultsync.protocol.rules;

import io.vaultsync.model.tree.IllegalNotePathException;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The rules of a {@link Mutation.MoveFolder}, all or nothing: the folder must not move into itself
 * (refused); it must hold exactly the files the client named (count and Merkle root of their (path,
 * hash) entries, else stale: the client moves only what it has seen); every file's target must be
 * free (else stale at that target) and allowed by {@link TreeShape} (else refused). A folder move
 * deletes nothing, so the mass-delete guard does not count it.
 */
final class FolderMoveRule {
  private FolderMoveRule() {}

  /** The per-file moves of {@code move} over {@code batch}, laid into it; or why not. */
  sealed interface Result {}

  /** The moves, in the folder's path order. */
  record Moves(List<NewChange> moves) implements Result {}

  /** The move is refused as a whole. */
  record Refusal(Outcome outcome) implements Result {}

  static Result apply(BatchHead batch, Mutation.MoveFolder move) throws IOException {
    NotePath from = move.path();
    NotePath to = move.to();
    if (to.value().startsWith(from.value() + "/")) {
      return new Refusal(
          new Outcome.Refused(
              to, "a folder cannot move into itself (" + from + " into " + to + ")"));
    }
    Optional<String> internal = TreeShape.internalName(to);
    if (internal.isPresent()) {
      return new Refusal(new Outcome.Refused(to, internal.get()));
    }
    List<RemoteEntry> files = batch.filesUnder(from);
    MerkleTree tree = new MerkleTree();
    for (RemoteEntry e : files) {
      tree.add(e.path(), e.hash());
    }
    if (files.size() != move.files() || !tree.root().equals(move.root())) {
      return new Refusal(new Outcome.Stale(from, null));
    }
    for (RemoteEntry e : files) {
      batch.remove(e.path());
    }
    List<NewChange> moves = new ArrayList<>(files.size());
    for (RemoteEntry e : files) {
      NotePath target;
      try {
        target = e.path().rebase(from, to);
      } catch (IllegalNotePathException tooLong) {
        target = null;
      }
      RemoteEntry occupant = target == null ? null : batch.current(target);
      Outcome refused = null;
      if (target == null) {
        refused = new Outcome.Refused(to, "moving " + e.path() + " below it: " + "path too long");
      } else if (occupant != null) {
        refused = new Outcome.Stale(target, occupant);
      } else {
        Optional<String> why = TreeShape.refusal(target, batch);
        if (why.isPresent()) {
          refused = new Outcome.Refused(target, why.get());
        }
      }
      if (refused != null) {
        for (NewChange m : moves) {
          batch.remove(m.path());
        }
        files.forEach(batch::put);
        return new Refusal(refused);
      }
      NewChange n = NewChange.move(e.path(), target, e.hash(), e.size());
      batch.put(new RemoteEntry(target, e.hash(), e.size(), Long.MAX_VALUE));
      moves.add(n);
    }
    return new Moves(moves);
  }
}
