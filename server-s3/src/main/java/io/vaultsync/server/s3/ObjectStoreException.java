package io.vaultsync.server.s3;

import java.io.IOException;

/**
 * The object store cannot be used as configured: its endpoint cannot be reached, the bucket is
 * missing, or it refuses the credentials. An operator's problem, not a bug: the message is one line
 * that names the store's URL and what to do, and a server prints it without a stack trace (the
 * cause is kept for a debug log).
 */
public final class ObjectStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public ObjectStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
