package io.vaultsync.client.cli;

import io.vaultsync.client.sync.LocalChangesException;
import io.vaultsync.client.sync.SyncRefusedException;
import io.vaultsync.core.format.BadHeaderException;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.TruncatedInputException;
import io.vaultsync.core.transport.MassDeleteRefusedException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/** Turns the failures a command reports to people into one line naming the problem. */
final class ErrorMessages {
  private ErrorMessages() {}

  /** One line (no line breaks) that says what went wrong, without a stack trace. */
  static String describe(Throwable e) {
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      return describe(e.getCause());
    }
    return oneLine(text(e));
  }

  private static String text(Throwable e) {
    String message = e.getMessage();
    if (e instanceof TruncatedInputException) {
      return "truncated input: " + message;
    }
    if (e instanceof BadHeaderException) {
      return "bad header: " + message;
    }
    if (e instanceof CorruptDataException) {
      return "corrupt input: " + message;
    }
    if (e instanceof SyncRefusedException
        || e instanceof MassDeleteRefusedException
        || e instanceof LocalChangesException) {
      return message; // "refused ...": what would be deleted and what to do
    }
    if (e instanceof NoSuchFileException f) {
      return (f.getReason() != null ? f.getReason() : "no such file") + ": " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: " + f.getFile();
    }
    if (e instanceof FileSystemException) {
      return message; // "FILE: REASON"
    }
    if (e instanceof IllegalArgumentException) {
      return message != null ? message : "bad argument";
    }
    return "I/O error: " + (message != null ? message : e.getClass().getSimpleName());
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
