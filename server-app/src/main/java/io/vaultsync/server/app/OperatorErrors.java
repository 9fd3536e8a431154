package io.vaultsync.server.app;

import io.vaultsync.server.net.ListenException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Turns the failures that are an operator's to fix (an address in use, a data folder another server
 * holds, a data folder the server may not write, a full or read-only disk) into one line that names
 * the problem and what to do. Anything else is a bug and keeps its stack trace.
 */
final class OperatorErrors {
  private OperatorErrors() {}

  /** One line for {@code e}, or null if it is not an operator's problem. */
  static String describe(Exception e, Path data) {
    if (e instanceof ListenException || e instanceof DataFolderInUseException) {
      return e.getMessage();
    }
    if (!(e instanceof FileSystemException f)) {
      return null;
    }
    String file = f.getFile() != null ? f.getFile() : String.valueOf(data);
    String reason = f.getReason() != null ? f.getReason().toLowerCase(Locale.ROOT) : "";
    if (e instanceof AccessDeniedException || reason.contains("permission denied")) {
      return "permission denied: "
          + file
          + ": run the server as a user who may read and write "
          + data
          + " (ls -ld "
          + data
          + ")";
    }
    if (reason.contains("no space left on device")) {
      return "the disk of "
          + data
          + " is full (writing "
          + file
          + "): free some space and start again";
    }
    if (reason.contains("read-only file system")) {
      return file + " is on a read-only file system: give --data a folder the server may write";
    }
    if (reason.contains("not a directory")) {
      return file + " is not a folder: give --data a folder (it is created if missing)";
    }
    return null;
  }
}
