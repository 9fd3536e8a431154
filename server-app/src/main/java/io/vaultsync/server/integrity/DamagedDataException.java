package io.vaultsync.server.integrity;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file of the data folder is damaged so that the server cannot start (today: the database). The
 * message is one line naming the file and what to do; {@code vaultsync server} prints it and exits
 * 2, never a stack trace.
 */
public final class DamagedDataException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public DamagedDataException(Path file, String message) {
    super(message);
    this.file = file;
  }

  /** The damaged file. */
  public Path file() {
    return file;
  }
}
