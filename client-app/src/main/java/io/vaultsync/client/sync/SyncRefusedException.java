package io.vaultsync.client.sync;

import java.io.IOException;
import java.util.Objects;

/**
 * A sync stopped before changing anything because {@link MassDeleteGuard} refused its plan; the
 * message says what would have been deleted and what to do.
 */
public final class SyncRefusedException extends IOException {
  private static final long serialVersionUID = 1L;

  private final transient GuardRefusal refusal;

  public SyncRefusedException(String folder, GuardRefusal refusal) {
    super("refused: " + refusal.describe(folder));
    this.refusal = Objects.requireNonNull(refusal, "refusal");
  }

  /** Why. */
  public GuardRefusal refusal() {
    return refusal;
  }
}
