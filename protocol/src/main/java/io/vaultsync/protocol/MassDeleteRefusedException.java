package io.vaultsync.protocol;

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
   * @param deletes deletes the commit asked for (with those the device made just before, if the
   *     remote counts them together)
   * @param files files in the vault before those deletes
   * @param limits the remote's limits
   */
  public MassDeleteRefusedException(String vault, long deletes, long files, DeleteLimits limits) {
    super(
        "refused a commit that deletes files in vault "
            + vault
            + ": "
            + deletes
            + " of "
            + files
            + " files ("
            + DeleteLimits.percent(deletes, files)
            + "%) counted (with the same device's deletes of the last minute, if the server"
            + " counts them), and the server refuses deleting "
            + limits.describe()
            + "; nothing of this commit was applied. If these deletes are intended, sync with"
            + " --allow-mass-delete");
    this.deletes = deletes;
    this.files = files;
    this.limits = limits;
  }

  /** Deletes counted: the commit's, with the device's recent ones if the remote adds them. */
  public long deletes() {
    return deletes;
  }

  /** Files in the vault before the deletes counted. */
  public long files() {
    return files;
  }

  /** The remote's limits (null after deserialization). */
  public DeleteLimits limits() {
    return limits;
  }
}
