package io.vaultsync.client.sync;

import io.vaultsync.core.transport.DeleteLimits;
import io.vaultsync.core.tree.NotePath;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Checks a {@link SyncPlan} before it runs: pure, no I/O, so a one-shot sync, {@code status} and a
 * watch loop all decide the same way. It refuses, in this order:
 *
 * <ol>
 *   <li>a folder that has no files at all while the index says files were synced from it, when the
 *       plan would delete anything on the server: an unmounted drive or a wiped folder is never
 *       read as "delete everything", however few files that is;
 *   <li>a plan that deletes more files on the server than {@link DeleteLimits} allow (a percentage
 *       of the server's files);
 *   <li>a plan that deletes more files here than the limits allow (a percentage of this folder's
 *       files): a broken device that emptied the vault on the server must not silently empty this
 *       one too.
 * </ol>
 */
public final class MassDeleteGuard {
  private MassDeleteGuard() {}

  /**
   * Why the plan must not run without {@code --allow-mass-delete}, or empty if it may.
   *
   * @param plan the plan (its remote view gives the server's file count)
   * @param localFiles files in the folder now (as scanned, ignored paths left out)
   * @param unstableFiles files the scan saw changing (the folder is not empty if there are any)
   * @param syncedFiles files in the index: synced before
   * @param limits the limits
   */
  public static Optional<GuardRefusal> check(
      SyncPlan plan, int localFiles, int unstableFiles, int syncedFiles, DeleteLimits limits) {
    List<NotePath> remoteDeletes = new ArrayList<>();
    List<NotePath> localDeletes = new ArrayList<>();
    for (SyncAction a : plan.actions()) {
      if (a instanceof SyncAction.DeleteRemote) {
        remoteDeletes.add(a.path());
      } else if (a instanceof SyncAction.DeleteLocal) {
        localDeletes.add(a.path());
      }
    }
    remoteDeletes.sort(null);
    localDeletes.sort(null);
    if (localFiles == 0 && unstableFiles == 0 && syncedFiles > 0 && !remoteDeletes.isEmpty()) {
      return Optional.of(
          new GuardRefusal(
              GuardRefusal.Reason.FOLDER_LOOKS_EMPTY,
              remoteDeletes.size(),
              syncedFiles,
              remoteDeletes,
              limits));
    }
    int remoteFiles = plan.remote().files().size();
    if (limits.exceeded(remoteDeletes.size(), remoteFiles)) {
      return Optional.of(
          new GuardRefusal(
              GuardRefusal.Reason.REMOTE_DELETES,
              remoteDeletes.size(),
              remoteFiles,
              remoteDeletes,
              limits));
    }
    if (limits.exceeded(localDeletes.size(), localFiles)) {
      return Optional.of(
          new GuardRefusal(
              GuardRefusal.Reason.LOCAL_DELETES,
              localDeletes.size(),
              localFiles,
              localDeletes,
              limits));
    }
    return Optional.empty();
  }
}
