package io.vaultsync.server.cluster;

import java.io.IOException;

/**
 * The shared database or object store of {@code --database} / {@code --objects} cannot be used: it
 * is unreachable, refuses the credentials, or the bucket or database is missing. An operator's
 * problem, told in one line naming the URL (without a password) and what to check; never a stack
 * trace.
 */
public final class StorageUnavailableException extends IOException {
  public StorageUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
