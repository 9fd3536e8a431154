package io.vaultsync.client.sync;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What one sync round will do, in order, and the remote state it was planned against.
 *
 * @param actions the steps
 * @param remote the remote view the plan was made from
 * @param leftOut files left out before any step, each named: what the scan could not take (links,
 *     special files, invalid or clashing names, unreadable folders) and what the server holds under
 *     a name no client can hold
 */
public record SyncPlan(List<SyncAction> actions, RemoteView remote, List<NotSynced> leftOut) {
  public SyncPlan {
    actions = List.copyOf(actions);
    Objects.requireNonNull(remote, "remote");
    leftOut = List.copyOf(leftOut);
  }

  /** A plan that leaves nothing out. */
  public SyncPlan(List<SyncAction> actions, RemoteView remote) {
    this(actions, remote, List.of());
  }

  /** This plan with {@code leftOut} instead. */
  SyncPlan withLeftOut(List<NotSynced> leftOut) {
    return new SyncPlan(actions, remote, leftOut);
  }

  /** Whether the round has nothing to do besides bookkeeping (and deletes held back). */
  public boolean isEmpty() {
    return actions.stream()
        .allMatch(
            a ->
                a instanceof SyncAction.Record
                    || a instanceof SyncAction.Skip
                    || a instanceof SyncAction.HeldBack);
  }

  /**
   * The steps, one per line, for {@code status}; a skip of a file {@link #leftOut()} already names
   * is not repeated.
   */
  public List<String> lines() {
    return actions.stream()
        .filter(a -> !(a instanceof SyncAction.Skip s && s.named()))
        .map(SyncAction::describe)
        .toList();
  }

  /**
   * Every file a sync of this plan would name as not synced before it runs a step: {@link
   * #leftOut()} and the skipped files it does not name already. (Steps can still fail as they run.)
   */
  public List<NotSynced> notSynced() {
    List<NotSynced> out = new ArrayList<>(leftOut);
    for (SyncAction a : actions) {
      if (a instanceof SyncAction.Skip s && !s.named()) {
        out.add(new NotSynced(s.path().value(), s.kind(), s.reason()));
      }
    }
    return out;
  }
}
