package io.vaultsync.client.sync;

import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.DeleteLimits;
import java.io.IOException;
import java.util.List;

/**
 * The plan of one round of a {@link Syncer} and what the mass-delete guard says of it: the plan
 * with the local files that were moved and edited paired, the whole vault's sizes the guard weighs
 * it against, and the deletes it refuses.
 */
final class RoundPlanning {
  private RoundPlanning() {}

  /**
   * The plan for {@code index} (the whole index, or the part a scoped cycle looks at), with the
   * local files that were moved and edited paired ({@link MovePairing}) and sent as moves: the
   * first plan shows the candidates (deletes on the server and new files), and only when there are
   * both are the new files read and the plan made again with the pairs.
   */
  static SyncPlan plan(
      LocalIndex index, ScanResult scan, RemoteView remote, IgnoreRules rules, SafeFiles files)
      throws IOException {
    SyncPlan plan = SyncPlanner.plan(index, scan, remote, rules);
    MovePairs pairs = MovePairing.find(plan, index, files.withNames(scan.names()));
    return pairs.isEmpty() ? plan : SyncPlanner.plan(index, scan, remote, rules, pairs);
  }

  /**
   * The whole vault's sizes for the guard: {@code planned} is the part of {@code index} the plan
   * covers (the whole index for a full round); every other file of the index is, in the folder and
   * on the server, as the index has it.
   */
  static MassDeleteGuard.Counts counts(
      ScanResult scan, LocalIndex index, LocalIndex planned, SyncPlan plan) {
    int outside = index.size() - planned.size();
    return new MassDeleteGuard.Counts(
        outside + scan.manifest().entries().size(),
        unreadable(scan),
        index.size(),
        outside + plan.remote().files().size());
  }

  static List<GuardRefusal> guard(
      SyncPlan plan, MassDeleteGuard.Counts counts, SyncOptions options, DeleteLimits limits) {
    if (options.allowMassDelete()) {
      return List.of();
    }
    return MassDeleteGuard.check(plan, counts, limits);
  }

  /**
   * Files the scan could not read (changing, or a link, special file or name clash): a folder with
   * such files is not empty, whatever else it lacks.
   */
  private static int unreadable(ScanResult scan) {
    return scan.unstable().size() + scan.unknown().size();
  }
}
