package io.vaultsync.protocol.rules;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@link CommitRules} decided for a batch: the changes to record, in batch order, and for each
 * mutation either its refusal ({@link Outcome.Stale}, {@link Outcome.Refused}) or the change that
 * will apply it. Once the changes are recorded (numbered, with device and time), {@link #outcomes}
 * gives the answer to the commit.
 */
public final class CommitPlan {
  private final List<NewChange> changes;

  /**
   * A folder move's slot: the {@code count} per-file moves from index {@code first} of the changes
   * stand for {@code move}.
   */
  record FolderSlot(int first, int count, Mutation.MoveFolder move) {}

  /**
   * Per mutation: an {@link Outcome} (a refusal), an {@link Integer} index into changes, or a
   * {@link FolderSlot}.
   */
  private final List<Object> slots;

  CommitPlan(List<NewChange> changes, List<Object> slots) {
    this.changes = List.copyOf(changes);
    this.slots = List.copyOf(slots);
  }

  /** The changes to record, in batch order (empty: nothing to record). */
  public List<NewChange> changes() {
    return changes;
  }

  /** The mutations refused, stale or refused by the tree rules, in batch order. */
  public List<Outcome> refusals() {
    List<Outcome> out = new ArrayList<>();
    for (Object s : slots) {
      if (s instanceof Outcome o) {
        out.add(o);
      }
    }
    return out;
  }

  /**
   * The outcome of each mutation, in batch order, given {@code recorded}: {@link #changes()} as
   * recorded, one for one.
   *
   * @throws IllegalArgumentException if {@code recorded} does not match {@link #changes()} in
   *     number
   */
  public List<Outcome> outcomes(List<Change> recorded) {
    Objects.requireNonNull(recorded, "recorded");
    if (recorded.size() != changes.size()) {
      throw new IllegalArgumentException(
          recorded.size() + " changes recorded for a plan of " + changes.size());
    }
    List<Outcome> out = new ArrayList<>(slots.size());
    for (Object s : slots) {
      if (s instanceof FolderSlot f) {
        out.add(new Outcome.Applied(folderChange(f, recorded)));
      } else {
        out.add(s instanceof Integer i ? new Outcome.Applied(recorded.get(i)) : (Outcome) s);
      }
    }
    return out;
  }

  /**
   * The {@link Change.Op#MOVE_FOLDER} change of each folder move of the plan, given {@code
   * recorded} as for {@link #outcomes}: what a remote keeps beside the per-file moves to give them
   * as one change to a reader that asks for folder moves ({@link
   * io.vaultsync.protocol.FolderMoves}).
   */
  public List<Change> folderMoves(List<Change> recorded) {
    List<Change> out = new ArrayList<>();
    for (Object s : slots) {
      if (s instanceof FolderSlot f) {
        out.add(folderChange(f, recorded));
      }
    }
    return out;
  }

  private static Change folderChange(FolderSlot f, List<Change> recorded) {
    Change last = recorded.get(f.first() + f.count() - 1);
    return new Change(
        last.seq(),
        Change.Op.MOVE_FOLDER,
        f.move().to(),
        f.move().path(),
        f.move().root().digest(),
        f.count(),
        last.device(),
        last.time());
  }

  @Override
  public String toString() {
    return "CommitPlan[" + changes.size() + " changes, " + refusals().size() + " refused]";
  }
}
