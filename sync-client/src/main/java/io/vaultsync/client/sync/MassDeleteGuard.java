package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.DeleteLimits;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Checks a {@link SyncPlan} before it runs and decides which deletes to hold back: pure, no I/O, so
 * a one-shot sync, {@code status} and a watch loop all decide the same way. It counts only what
 * really disappears ({@link SyncAction.DeleteRemote} and {@link SyncAction.DeleteLocal}; a move,
 * with or without an edit, is not a delete), against the whole vault, and it never stops the rest
 * of the plan: uploads, downloads, moves, merges and the other side's deletes run as planned.
 *
 * <ol>
 *   <li>A folder that has no files at all while the index says files were synced from it holds back
 *       every delete on the server: an unmounted drive or a wiped folder is never read as "delete
 *       everything", however few files that is.
 *   <li>Deletes on the server beyond {@link DeleteLimits} (a share of the server's files) are held
 *       back.
 *   <li>Deletes here beyond the limits (a share of this folder's files) are held back: a broken
 *       device that emptied the vault on the server must not silently empty this one too. A delete
 *       a person confirmed on the device that made it ({@code --allow-mass-delete}, {@link
 *       RemoteView#deleteConfirmed}) does not count and is applied.
 * </ol>
 */
public final class MassDeleteGuard {
  private MassDeleteGuard() {}

  /**
   * The sizes the limits are relative to: the whole vault, also when a watch cycle planned only a
   * part of it.
   *
   * @param localFiles files in the folder now (as scanned, ignored paths left out)
   * @param unstableFiles files the scan saw changing (the folder is not empty if there are any)
   * @param syncedFiles files in the index: synced before
   * @param remoteFiles files on the server now
   */
  public record Counts(int localFiles, int unstableFiles, int syncedFiles, int remoteFiles) {}

  /**
   * The deletes to hold back, at most one refusal per side (the server's first), or none.
   *
   * @param plan the plan (its remote view says which deletes a person confirmed)
   * @param counts the vault's sizes
   * @param limits the limits
   */
  public static List<GuardRefusal> check(SyncPlan plan, Counts counts, DeleteLimits limits) {
    List<NotePath> remoteDeletes = new ArrayList<>();
    List<NotePath> localDeletes = new ArrayList<>();
    for (SyncAction a : plan.actions()) {
      if (a instanceof SyncAction.DeleteRemote) {
        remoteDeletes.add(a.path());
      } else if (a instanceof SyncAction.DeleteLocal && !plan.remote().deleteConfirmed(a.path())) {
        localDeletes.add(a.path());
      }
    }
    remoteDeletes.sort(null);
    localDeletes.sort(null);
    List<GuardRefusal> refusals = new ArrayList<>(2);
    if (counts.localFiles() == 0
        && counts.unstableFiles() == 0
        && counts.syncedFiles() > 0
        && !remoteDeletes.isEmpty()) {
      refusals.add(
          new GuardRefusal(
              GuardRefusal.Reason.FOLDER_LOOKS_EMPTY,
              remoteDeletes.size(),
              counts.syncedFiles(),
              remoteDeletes,
              limits));
    } else if (limits.exceeded(remoteDeletes.size(), counts.remoteFiles())) {
      refusals.add(
          new GuardRefusal(
              GuardRefusal.Reason.REMOTE_DELETES,
              remoteDeletes.size(),
              counts.remoteFiles(),
              remoteDeletes,
              limits));
    }
    if (limits.exceeded(localDeletes.size(), counts.localFiles())) {
      refusals.add(
          new GuardRefusal(
              GuardRefusal.Reason.LOCAL_DELETES,
              localDeletes.size(),
              counts.localFiles(),
              localDeletes,
              limits));
    }
    return refusals;
  }

  /**
   * {@code plan} with the deletes {@code refusals} name replaced by {@link SyncAction.HeldBack}
   * steps (the executor leaves them undone and names them); every other step stays.
   *
   * @param folder the vault folder as the user named it, for the messages
   */
  public static SyncPlan holdBack(SyncPlan plan, List<GuardRefusal> refusals, String folder) {
    if (refusals.isEmpty()) {
      return plan;
    }
    Set<NotePath> remote = new HashSet<>();
    Set<NotePath> local = new HashSet<>();
    List<String> remoteWhy = new ArrayList<>(1);
    List<String> localWhy = new ArrayList<>(1);
    for (GuardRefusal r : refusals) {
      (r.remoteSide() ? remote : local).addAll(r.paths());
      (r.remoteSide() ? remoteWhy : localWhy).add(r.describe(folder));
    }
    List<SyncAction> actions = new ArrayList<>(plan.actions().size());
    for (SyncAction a : plan.actions()) {
      if (a instanceof SyncAction.DeleteRemote && remote.contains(a.path())) {
        actions.add(new SyncAction.HeldBack(a, remoteWhy.get(0)));
      } else if (a instanceof SyncAction.DeleteLocal && local.contains(a.path())) {
        actions.add(new SyncAction.HeldBack(a, localWhy.get(0)));
      } else {
        actions.add(a);
      }
    }
    return new SyncPlan(actions, plan.remote());
  }
}
