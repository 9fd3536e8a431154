package io.vaultsync.server.app;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Another process holds the data folder's {@code server.lock}: an operator's mistake (a second
 * server, or a maintenance command beside a running one), told in one line, never a stack trace.
 */
public final class DataFolderInUseException extends IOException {
  private static final long serialVersionUID = 1L;

  public DataFolderInUseException(Path dir, Throwable cause) {
    super("another vaultsync server is using " + dir + ": stop it first", cause);
  }
}
