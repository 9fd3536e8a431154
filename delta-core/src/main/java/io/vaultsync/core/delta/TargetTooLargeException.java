package io.vaultsync.core.delta;

import java.io.IOException;

/**
 * A patch was refused because its output would grow past the bound the caller set ({@link
 * Patcher#Patcher(Basis, java.io.OutputStream, java.util.concurrent.Executor, long)}). The delta
 * may be perfectly valid; the receiver does not accept a target that large. Thrown before the
 * operation that crosses the bound writes anything.
 */
public final class TargetTooLargeException extends IOException {
  private static final long serialVersionUID = 1L;

  private final long reached;
  private final long limit;

  /**
   * @param reached the output length the operations read so far add up to (at least; the delta may
   *     declare more after them)
   * @param limit the bound
   */
  public TargetTooLargeException(long reached, long limit) {
    super(
        "the patched output would reach at least "
            + reached
            + " bytes; at most "
            + limit
            + " are accepted");
    this.reached = reached;
    this.limit = limit;
  }

  /** The output length the delta's operations reached when the patch was refused (a minimum). */
  public long reached() {
    return reached;
  }

  /** The bound on the output. */
  public long limit() {
    return limit;
  }
}
