package io.vaultsync.protocol;

/**
 * How a remote treats one {@link VaultTransport#commit}.
 *
 * @param allowMassDelete the user allowed this sync to delete more files than the remote's {@link
 *     DeleteLimits}; without it such a commit fails with {@link MassDeleteRefusedException}; with
 *     it the commit's deletes are recorded as confirmed ({@link Change#confirmed()})
 */
public record CommitOptions(boolean allowMassDelete) {
  /** Mass deletes are refused. */
  public static final CommitOptions DEFAULTS = new CommitOptions(false);

  /** Mass deletes are allowed (the user said {@code --allow-mass-delete}). */
  public static final CommitOptions ALLOW_MASS_DELETE = new CommitOptions(true);
}
