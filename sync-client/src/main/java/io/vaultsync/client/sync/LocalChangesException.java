package io.vaultsync.client.sync;

import java.io.IOException;

/**
 * A restore was refused because the folder has edits not yet synced that it would overwrite or
 * lose; nothing was changed. Sync first (or save the edits elsewhere).
 */
public final class LocalChangesException extends IOException {
  private static final long serialVersionUID = 1L;

  public LocalChangesException(String message) {
    super(message);
  }
}
