package io.vaultsync.client.cli;

import io.vaultsync.client.sync.ChangedMeanwhileException;
import io.vaultsync.client.sync.LocalChangesException;
import io.vaultsync.core.format.BadHeaderException;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.TruncatedInputException;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.ServerStorageException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/** Turns the failures a command reports to people into one line naming the problem. */
final class ErrorMessages {
  private ErrorMessages() {}

  /** One line (no line breaks) that says what went wrong, without a stack trace. */
  static String describe(Throwable e) {
    return describe(e, null);
  }

  /**
   * One line that says what went wrong and, for the common failures, what to do; {@code server}
   * (null if no server was contacted) is named when the server cannot be reached or refuses.
   */
  static String describe(Throwable e, URI server) {
    return describe(e, server, null);
  }

  /**
   * As {@link #describe(Throwable, URI)}; {@code during} (null if unknown) says how far the command
   * got, for a connection lost or stalled mid-command.
   */
  static String describe(Throwable e, URI server, During during) {
    if (e instanceof UncheckedIOException && e.getCause() != null) {
      return describe(e.getCause(), server, during);
    }
    return oneLine(text(e, server, during));
  }

  /**
   * How far a command got when it failed: its name ({@code clone}) and the bytes it had sent to and
   * received from the server (negative: unknown).
   */
  record During(String command, long bytesSent, long bytesReceived) {
    /** " during the clone, after 1.2 MB received"; amounts under 1 KB are left out. */
    String text() {
      String s = command != null ? " during the " + command : "";
      List<String> amounts = new ArrayList<>();
      if (bytesSent >= 1000) {
        amounts.add(bytes(bytesSent) + " sent");
      }
      if (bytesReceived >= 1000) {
        amounts.add(bytes(bytesReceived) + " received");
      }
      if (!amounts.isEmpty()) {
        s += (s.isEmpty() ? " after " : ", after ") + String.join(" and ", amounts);
      }
      return s;
    }

    /** {@code n} bytes as people read them: 1.2 MB (decimal units, one decimal). */
    static String bytes(long n) {
      if (n < 1000) {
        return n + " bytes";
      }
      String[] units = {"KB", "MB", "GB", "TB"};
      double v = n;
      int u = -1;
      while (v >= 1000 && u < units.length - 1) {
        v /= 1000;
        u++;
      }
      return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }
  }

  private static String text(Throwable e, URI server, During during) {
    String message = e.getMessage();
    String at = server != null ? " " + server : "";
    String when = during != null ? during.text() : "";
    if (e instanceof RemoteStalledException stalled) {
      return "the server"
          + at
          + " stopped answering"
          + when
          + ": nothing for "
          + seconds(stalled.silence())
          + (stalled.doing() != null ? " while " + stalled.doing() : "")
          + "; check the server and the network, then run the command again";
    }
    if (e instanceof ConnectionLostException lost) {
      return "the connection to the server"
          + at
          + " was lost"
          + when
          + (lost.doing() != null ? ", while " + lost.doing() : "")
          + " ("
          + lost.detail()
          + "): the server stopped or the network dropped; run the command again to resume";
    }
    if (e instanceof RemoteUnavailableException) {
      return "cannot reach the server"
          + at
          + " ("
          + message
          + "): check that the server runs and that the URL is right, then retry";
    }
    if (e instanceof AuthenticationException) {
      return "the server"
          + at
          + " refused the token ("
          + message
          + "): create one on the server with `vaultsync server token create --data DIR --name"
          + " DEVICE` and pass it with --token";
    }
    if (e instanceof NotFoundException && message != null && message.startsWith("no vault")) {
      return message + ": check the name with `vaultsync vaults" + at + " --token T`";
    }
    if (e instanceof ChangedMeanwhileException) {
      return message + " (a file changed while being read; run the command again)";
    }
    if (e instanceof TruncatedInputException) {
      return "truncated input: " + message;
    }
    if (e instanceof BadHeaderException) {
      return "bad header: " + message;
    }
    if (e instanceof CorruptDataException) {
      return "corrupt input: " + message;
    }
    if (e instanceof MassDeleteRefusedException || e instanceof LocalChangesException) {
      return message; // "refused ...": what would be deleted and what to do
    }
    if (e instanceof NoSuchFileException f) {
      return (f.getReason() != null ? f.getReason() : "no such file") + ": " + f.getFile();
    }
    if (e instanceof AccessDeniedException f) {
      return "permission denied: "
          + f.getFile()
          + ": check that you own the file and may write its folder (ls -l)";
    }
    if (e instanceof ServerStorageException) {
      return message; // the server's disk, not ours: what the server said, and what to do
    }
    if (noSpace(message)) {
      String file = e instanceof FileSystemException f && f.getFile() != null ? f.getFile() : null;
      return "disk full"
          + (file != null ? " writing " + file : "")
          + ": free some space and run the command again (nothing half-written was kept)";
    }
    if (e instanceof FileSystemException) {
      return message; // "FILE: REASON"
    }
    if (e instanceof IllegalArgumentException) {
      return message != null ? message : "bad argument";
    }
    return "I/O error: " + (message != null ? message : e.getClass().getSimpleName());
  }

  private static String seconds(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0
        ? (ms / 1000) + " s"
        : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
  }

  private static boolean noSpace(String message) {
    return message != null && message.contains("No space left on device");
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s*\\R\\s*", " ").strip();
  }
}
