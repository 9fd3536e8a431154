package io.vaultsync.client.sync;

import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.DeleteLimits;

/**
 * How one sync (or one cycle of a watch loop) runs.
 *
 * @param allowMassDelete the user allowed deletes beyond the limits ({@code --allow-mass-delete}),
 *     and syncing a folder that looks empty or unmounted; the server is told too
 * @param limits the mass-delete limits, or null for the folder's own ({@code .vaultsync/config},
 *     else {@link DeleteLimits#DEFAULTS})
 */
public record SyncOptions(boolean allowMassDelete, DeleteLimits limits) {
  /** Mass deletes refused, with the folder's limits. */
  public static final SyncOptions DEFAULTS = new SyncOptions(false, null);

  /** Mass deletes allowed. */
  public static final SyncOptions ALLOW_MASS_DELETE = new SyncOptions(true, null);

  /** What the server is told with every commit. */
  CommitOptions commitOptions() {
    return allowMassDelete ? CommitOptions.ALLOW_MASS_DELETE : CommitOptions.DEFAULTS;
  }
}
