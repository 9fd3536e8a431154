package io.vaultsync.client.cli;

import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.client.watch.WatchOptions;
import io.vaultsync.client.watch.WatchSession;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code vaultsync watch DIR}: live two-way sync until Ctrl-C. */
@Command(
    name = "watch",
    description = {
      "Keep a vault folder in sync live: local saves are sent within milliseconds and changes from"
          + " other devices arrive over one open connection. Reconnects by itself; Ctrl-C stops"
          + " after the sync in progress. Deletes the mass-delete guard refuses are held back and"
          + " named while everything else keeps syncing; confirm them with 'vaultsync sync DIR"
          + " --allow-mass-delete'."
    })
final class WatchCommand extends FolderCommand {
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

  @Option(
      names = "--debounce",
      paramLabel = "MILLIS",
      description = "Quiet time after a local save before it is sent (default: ${DEFAULT-VALUE}).",
      defaultValue = "3")
  long debounceMillis;

  @Option(names = "--json", description = "Print one JSON line per sync, connect and problem.")
  boolean json;

  @Override
  int run(PrintWriter out) throws IOException {
    if (debounceMillis < 0 || debounceMillis > 60_000) {
      throw new IllegalArgumentException(
          "--debounce " + debounceMillis + "; expected 0 to 60000 milliseconds");
    }
    WatchOptions options = WatchOptions.DEFAULTS.withDebounce(Duration.ofMillis(debounceMillis));
    WatchSession session =
        new WatchSession(
            dir, root.connector(), root.clock(), options, reporter(out), System.nanoTime());
    HandOffListener handOff = handOff(session, out);
    Thread hook =
        new Thread(
            () -> {
              try {
                session.stopAndWait(30_000);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              } finally {
                closeQuietly(handOff);
              }
            },
            "vaultsync-watch-stop");
    Runtime.getRuntime().addShutdownHook(hook);
    try {
      session.run();
      if (!json) {
        out.println(now() + " stopped");
        out.flush();
      }
    } finally {
      closeQuietly(handOff);
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException shuttingDown) {
        // Ctrl-C: the hook is what stopped the session
      }
    }
    return VaultsyncCommand.EXIT_OK;
  }

  /**
   * Takes {@code vaultsync sync DIR} handed to this watch (see {@link HandOffListener}); the watch
   * runs without when the folder is not a replica (the session then says so) or the endpoint file
   * cannot be written.
   */
  private HandOffListener handOff(WatchSession session, PrintWriter out) {
    if (!java.nio.file.Files.isDirectory(dir.resolve(".vaultsync"))) {
      return null;
    }
    try {
      return HandOffListener.start(dir, session, root::lastServer);
    } catch (IOException e) {
      out.println(
          now() + " syncs started meanwhile run by themselves: " + ErrorMessages.describe(e));
      out.flush();
      return null;
    }
  }

  private static void closeQuietly(HandOffListener l) {
    if (l != null) {
      l.close();
    }
  }

  private WatchSession.Reporter reporter(PrintWriter out) {
    return new WatchSession.Reporter() {
      @Override
      public void synced(SyncReport r) {
        if (json) {
          print(syncStats(r).toString());
        } else {
          print(now() + " " + r.summary());
          r.conflictCopies()
              .forEach(c -> print(now() + " conflict: kept local version as \"" + c + "\""));
        }
      }

      @Override
      public void notSynced(List<NotSynced> files) {
        if (json) {
          print(
              new StatsLine("notSynced")
                  .putObjects("files", files.stream().map(VaultCommand::json).toList())
                  .toString());
        } else if (files.isEmpty()) {
          print(now() + " every file is synced again");
        } else {
          NotSyncedLines.of(files).forEach(line -> print(now() + " " + line));
        }
      }

      @Override
      public void connected(long seq) {
        print(
            json
                ? new StatsLine("connected").put("seq", seq).toString()
                : now() + " watching " + dir + " (in sync at seq " + seq + ")");
      }

      @Override
      public void problem(String message, long retryMillis) {
        print(
            json
                ? new StatsLine("problem")
                    .put("message", message)
                    .put("retryMillis", retryMillis)
                    .toString()
                : now()
                    + " "
                    + message
                    + (retryMillis > 0 ? "; retrying in " + retryMillis + " ms" : ""));
      }

      private synchronized void print(String line) {
        out.println(line);
        out.flush();
      }
    };
  }

  private static String now() {
    return LocalTime.now().format(TIME);
  }
}
