package io.vaultsync.protocol.rules;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.StaleVersionException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of a commit, written once for every implementation of the protocol (the server, the
 * in-memory transport, a future server on other storage). Pure: no I/O of its own. It reads the
 * vault's head through {@link VaultHead}, the recent deletes through {@link RecentDeletes}, and
 * hands each put's content to the caller's {@link ContentWriter}; it answers with a {@link
 * CommitPlan} (the changes to record and the outcome of each mutation) or refuses the whole batch.
 * The caller holds the vault's lock from {@link #checkDeletes} until it recorded the plan.
 *
 * <ol>
 *   <li><b>Batch size.</b> At most {@link Limits#COMMIT_MUTATIONS} mutations ({@link
 *       #checkBatchSize}).
 *   <li><b>Mass deletes.</b> A batch deleting more than the {@link DeleteLimits} allow is refused
 *       as a whole ({@link MassDeleteRefusedException}) unless its {@link CommitOptions} allow mass
 *       deletes. A client cuts one sync into several calls and sends its permission with each;
 *       without it, the deletes one device committed in the last {@link DeleteLimits#WINDOW} count
 *       together, so a mass delete cut into many small calls is refused too; the percentage is of
 *       the vault's files before those deletes ({@link #checkDeletes}).
 *   <li><b>Stale base.</b> Each mutation names the version it replaces (a put's base, null for a
 *       new file; a delete's or a move's expected hash); if the head (with the batch's earlier
 *       mutations) holds another, the mutation is {@link Outcome.Stale}, naming what is there, and
 *       the rest of the batch still applies. A move onto an occupied path is stale at its target.
 *   <li><b>Tree shape.</b> A put of a new path and a move's target follow {@link TreeShape#refusal}
 *       (no file below a file, no file where a folder of files is, no internal name); a put over an
 *       existing file only the internal-name rule (a tree stored before the rules keeps its other
 *       files writable). A refused mutation is {@link Outcome.Refused}.
 *   <li><b>Folder moves</b> ({@link Mutation.MoveFolder}) follow {@link FolderMoveRule}: all or
 *       nothing, recorded as one per-file move per file with consecutive seqs; their outcome is one
 *       {@link io.vaultsync.protocol.Change.Op#MOVE_FOLDER} change ({@link CommitPlan}).
 *   <li><b>Deletes</b> of a batch that allowed mass deletes are recorded as confirmed.
 * </ol>
 *
 * A retried batch is safe: a mutation already applied is now stale (its base is no longer the
 * head's version), and its outcome names the head's version, which the client compares with what it
 * sent.
 */
public final class CommitRules {

  /** Stores the content of one put that the rules let through; the caller's I/O. */
  @FunctionalInterface
  public interface ContentWriter {
    /**
     * Stores {@code put}'s content, patching its delta over {@code basis} (the file the put
     * replaces; null: a new file, patched over nothing), and returns its hash and size.
     */
    Stored write(Mutation.Put put, RemoteEntry basis) throws IOException;
  }

  /**
   * The vault's number of files before the batch, asked only when the delete count cannot decide.
   */
  @FunctionalInterface
  public interface FileCount {
    long files() throws IOException;
  }

  /** Content stored for a put: its hash and size in bytes. */
  public record Stored(ContentHash hash, long size) {
    public Stored {
      Objects.requireNonNull(hash, "hash");
      if (size < 0) {
        throw new IllegalArgumentException("stored content of " + size + " bytes");
      }
    }
  }

  private final DeleteLimits deleteLimits;

  /** Rules refusing batches that delete more than {@code deleteLimits} allow. */
  public CommitRules(DeleteLimits deleteLimits) {
    this.deleteLimits = Objects.requireNonNull(deleteLimits, "deleteLimits");
  }

  public DeleteLimits deleteLimits() {
    return deleteLimits;
  }

  /**
   * @throws InvalidRequestException if a batch of {@code mutations} is larger than {@link
   *     Limits#COMMIT_MUTATIONS}
   */
  public static void checkBatchSize(int mutations) throws InvalidRequestException {
    if (mutations > Limits.COMMIT_MUTATIONS) {
      throw new InvalidRequestException(
          "batch of " + mutations + " mutations; at most " + Limits.COMMIT_MUTATIONS);
    }
  }

  /**
   * Refuses the batch if it deletes more files than the limits allow and the client did not allow
   * mass deletes; otherwise records its deletes in {@code recent}. The deletes count together with
   * those {@code device} committed without the flag in the last {@link DeleteLimits#WINDOW}, up to
   * {@code nowMillis}. Counts the vault's files only when the delete count alone cannot decide.
   *
   * @throws MassDeleteRefusedException naming the deletes counted together and the vault's files
   */
  public void checkDeletes(
      String vault,
      String device,
      List<Mutation> mutations,
      CommitOptions options,
      RecentDeletes recent,
      long nowMillis,
      FileCount files)
      throws IOException {
    if (options.allowMassDelete()) {
      return;
    }
    long deletes = mutations.stream().filter(m -> m instanceof Mutation.Delete).count();
    if (deletes == 0) {
      return;
    }
    long earlier = recent.since(vault, device, nowMillis - DeleteLimits.WINDOW.toMillis() + 1);
    long total = earlier + deletes;
    if (total > deleteLimits.maxFiles() || total >= deleteLimits.percentFloor()) {
      long before = earlier + files.files();
      if (deleteLimits.exceeded(total, before)) {
        throw new MassDeleteRefusedException(vault, total, before, deleteLimits);
      }
    }
    recent.add(vault, device, nowMillis, deletes);
  }

  /**
   * Applies the stale-base and tree-shape rules to {@code mutations} in order over {@code head},
   * storing each put that passes through {@code content}.
   */
  public static CommitPlan plan(
      VaultHead head, List<Mutation> mutations, CommitOptions options, ContentWriter content)
      throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(content, "content");
    BatchHead batch = new BatchHead(head).expecting(targets(mutations));
    List<NewChange> changes = new ArrayList<>();
    List<Object> slots = new ArrayList<>(mutations.size());
    for (Mutation m : mutations) {
      RemoteEntry current = batch.current(m.path());
      if (m instanceof Mutation.Put put) {
        if (!sameVersion(current, put.base())) {
          slots.add(new Outcome.Stale(put.path(), current));
          continue;
        }
        Optional<String> refusal = refusal(batch, put.path(), current);
        if (refusal.isPresent()) {
          slots.add(new Outcome.Refused(put.path(), refusal.get()));
          continue;
        }
        Stored stored = content.write(put, put.base() == null ? null : current);
        NewChange n = NewChange.put(put.path(), stored.hash(), stored.size());
        batch.put(pending(n));
        slots.add(changes.size());
        changes.add(n);
      } else if (m instanceof Mutation.Delete delete) {
        if (current == null || !sameVersion(current, delete.expected())) {
          slots.add(new Outcome.Stale(delete.path(), current));
          continue;
        }
        batch.remove(delete.path());
        NewChange d = NewChange.delete(delete.path(), current.hash(), current.size());
        slots.add(changes.size());
        changes.add(options.allowMassDelete() ? d.asConfirmed() : d);
      } else if (m instanceof Mutation.MoveFolder folder) {
        FolderMoveRule.Result r = FolderMoveRule.apply(batch, folder);
        if (r instanceof FolderMoveRule.Refusal refusal) {
          slots.add(refusal.outcome());
          continue;
        }
        List<NewChange> moves = ((FolderMoveRule.Moves) r).moves();
        slots.add(new CommitPlan.FolderSlot(changes.size(), moves.size(), folder));
        changes.addAll(moves);
      } else {
        Mutation.Move move = (Mutation.Move) m;
        if (current == null || !sameVersion(current, move.expected())) {
          slots.add(new Outcome.Stale(move.path(), current));
          continue;
        }
        RemoteEntry occupant = batch.current(move.to());
        if (occupant != null) {
          slots.add(new Outcome.Stale(move.to(), occupant));
          continue;
        }
        batch.remove(move.path()); // gone once moved: "a" -> "a/b" is fine
        Optional<String> refusal = refusal(batch, move.to(), null);
        if (refusal.isPresent()) {
          batch.put(current);
          slots.add(new Outcome.Refused(move.to(), refusal.get()));
          continue;
        }
        NewChange n = NewChange.move(move.path(), move.to(), current.hash(), current.size());
        batch.put(pending(n));
        slots.add(changes.size());
        changes.add(n);
      }
    }
    return new CommitPlan(changes, slots);
  }

  /**
   * The rules for a single-file push of {@code path} over {@code base} (null: a new file) into
   * {@code head}: the stale base, then the tree shape. Checked before the upload is patched (it
   * would be in vain) and again under the vault's lock.
   *
   * @return the file at {@code path} now (null: none)
   * @throws StaleVersionException if the head holds another version than {@code base}
   * @throws PathRefusedException if no client could hold a file at {@code path}
   */
  public static RemoteEntry checkPush(String vault, VaultHead head, NotePath path, ContentHash base)
      throws IOException {
    BatchHead batch = new BatchHead(head);
    RemoteEntry current = batch.current(path);
    if (!sameVersion(current, base)) {
      throw new StaleVersionException(vault, path.value(), base, current);
    }
    Optional<String> refusal = refusal(batch, path, current);
    if (refusal.isPresent()) {
      throw new PathRefusedException(vault, path.value(), refusal.get());
    }
    return current;
  }

  /** Whether {@code current} (null: no file) is the version {@code expected} (null: none). */
  public static boolean sameVersion(RemoteEntry current, ContentHash expected) {
    return current == null ? expected == null : current.hash().equals(expected);
  }

  /**
   * Why a file at {@code path} (now {@code current}, null: none) must not be written: {@link
   * TreeShape}'s rules for a new path (a file on the way, a folder of files there, an internal
   * name), the internal-name rule for any (a tree stored before the rules keeps its other files
   * writable).
   */
  private static Optional<String> refusal(TreeShape.Head head, NotePath path, RemoteEntry current)
      throws IOException {
    return current != null ? TreeShape.internalName(path) : TreeShape.refusal(path, head);
  }

  /** The paths {@code mutations} may write a file at: each put's path and each move's target. */
  private static List<NotePath> targets(List<Mutation> mutations) {
    List<NotePath> out = new ArrayList<>(mutations.size());
    for (Mutation m : mutations) {
      if (m instanceof Mutation.Put put) {
        out.add(put.path());
      } else if (m instanceof Mutation.Move move) {
        out.add(move.to());
      }
    }
    return out;
  }

  /** A head entry for a change not yet numbered (its seq is unknown until it is recorded). */
  private static RemoteEntry pending(NewChange n) {
    return new RemoteEntry(n.path(), n.hash(), n.size(), Long.MAX_VALUE);
  }
}
