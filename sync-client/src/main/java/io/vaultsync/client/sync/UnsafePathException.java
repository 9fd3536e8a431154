package io.vaultsync.client.sync;

import java.io.IOException;

/** Writing a path would go through a symbolic link or a non-folder: refused. */
public final class UnsafePathException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsafePathException(String message) {
    super(message);
  }
}
