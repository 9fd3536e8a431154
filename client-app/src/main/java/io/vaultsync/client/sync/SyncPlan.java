package io.vaultsync.client.sync;

import java.util.List;
import java.util.Objects;

/**
 * What one sync round will do, in order, and the remote state it was planned against.
 *
 * @param actions the steps
 * @param remote the remote view the plan was made from
 */
public record SyncPlan(List<SyncAction> actions, RemoteView remote) {
  public SyncPlan {
    actions = List.copyOf(actions);
    Objects.requireNonNull(remote, "remote");
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

  /** The steps that change something, one per line, for {@code status}. */
  public List<String> lines() {
    return actions.stream().map(SyncAction::describe).toList();
  }
}
