package io.vaultsync.client.sync;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What a sync would do now ({@code status}): the plan (with the deletes {@link MassDeleteGuard}
 * would hold back shown as {@link SyncAction.HeldBack}), and why they would be held back.
 *
 * @param plan the plan
 * @param heldBack why a sync with the same options would hold deletes back (at most one per side),
 *     or empty
 * @param ignoreProblems lines of {@code .vaultsyncignore} that were left out, and why
 */
public record SyncPreview(SyncPlan plan, List<GuardRefusal> heldBack, List<String> ignoreProblems) {
  public SyncPreview {
    Objects.requireNonNull(plan, "plan");
    heldBack = List.copyOf(heldBack);
    ignoreProblems = List.copyOf(ignoreProblems);
  }

  /** The first reason deletes would be held back, or empty. */
  public Optional<GuardRefusal> refusal() {
    return heldBack.stream().findFirst();
  }
}
