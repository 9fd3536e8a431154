package io.vaultsync.client.sync;

import java.util.Objects;
import java.util.Optional;

/**
 * What a sync would do now ({@code status}): the plan, and whether {@link MassDeleteGuard} would
 * refuse it.
 *
 * @param plan the plan
 * @param refusal why a sync with the same options would be refused, or empty
 * @param ignoreProblems lines of {@code .vaultsyncignore} that were left out, and why
 */
public record SyncPreview(
    SyncPlan plan, Optional<GuardRefusal> refusal, java.util.List<String> ignoreProblems) {
  public SyncPreview {
    Objects.requireNonNull(plan, "plan");
    Objects.requireNonNull(refusal, "refusal");
    ignoreProblems = java.util.List.copyOf(ignoreProblems);
  }
}
