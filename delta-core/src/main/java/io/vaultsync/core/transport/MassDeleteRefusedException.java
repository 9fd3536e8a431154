package io.vaultsync.core.transport;

/**
 * A remote refused a whole commit because it would delete more files than its {@link DeleteLimits}
 * allow and the commit did not say mass deletes are allowed ({@link
 * CommitOptions#allowMassDelete()}). Nothing of the commit was applied.
 */
public final class MassDeleteRefusedException extends TransportException {
  private static final long serialVersionUID = 1L;

  private final long deletes;
  private final long files;
  private final transient DeleteLimits limits;

  /**
   * @param vault the vault
   * @param deletes deletes the commit asked for
   * @param files files in the vault before the commit
   * @param limits the remote's limits
   */
  public MassDeleteRefusedException(String vault, long deletes, long files, DeleteLimits limits) {
    super(
        "refused a commit that would delete "
            + deletes
            + " of "
            + files
            + " files ("
            + DeleteLimits.percent(deletes, files)
            + "%) in vault "
            + vault
            + ": the server refuses "
            + limits.describe()
            + " in one commit; nothing was changed. If these deletes are intended, sync with"
            + " --allow-mass-delete");
    this.deletes = deletes;
    this.files = files;
    this.limits = limits;
  }

  /** Deletes the commit asked for. */
  public long deletes() {
    return deletes;
  }

  /** Files in the vault before the commit. */
  public long files() {
    return files;
  }

  /** The remote's limits (null after deserialization). */
  public DeleteLimits limits() {
    return limits;
  }
}
