package io.vaultsync.client.cli;

import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.client.sync.NotSynced;
import io.vaultsync.client.sync.SyncProgress;
import io.vaultsync.client.sync.SyncReport;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.TransportException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What the sync subcommands share: the injected connector and clock, deletes held back by the
 * mass-delete guard as exit code {@value VaultsyncCommand#EXIT_REFUSED}, a failure as exit code
 * {@value VaultsyncCommand#EXIT_BAD_INPUT} with one line on stderr (a bad folder, a bad URL, an
 * unreachable or refusing server), and the summary of a sync. The token is never printed.
 */
abstract class VaultCommand implements Callable<Integer> {
  @ParentCommand VaultsyncCommand root;

  /** A sync draws a bar only from this many files (init, clone and restore: from one). */
  static final int LARGE_FILES = 200;

  /** ... or from this many bytes of content. */
  static final long LARGE_BYTES = 8L * 1024 * 1024;

  @Spec CommandSpec spec;

  @Option(
      names = {"-q", "--quiet"},
      description = "Draw no progress bar (none is drawn when stderr is not a terminal either).")
  boolean quiet;

  @Override
  public final Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    try {
      return run(spec.commandLine().getOut());
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      return failed(err, spec.name(), e, server(), during());
    }
  }

  /**
   * Reports what failed command {@code name} on {@code err} (one line) and returns its exit code:
   * {@value VaultsyncCommand#EXIT_REFUSED} for deletes the server's guard refused, else {@value
   * VaultsyncCommand#EXIT_BAD_INPUT}. Shared with a sync handed to a running watch, which must
   * report a failure exactly as the one-shot command does.
   */
  static int failed(
      PrintWriter err, String name, Exception e, URI server, ErrorMessages.During during) {
    if (e instanceof MassDeleteRefusedException) {
      err.println("vaultsync: " + name + ": server: " + ErrorMessages.describe(e, server));
      err.flush();
      return VaultsyncCommand.EXIT_REFUSED;
    }
    // an unreachable server and a refused token name the server themselves
    String prefix =
        e instanceof TransportException
                && !(e instanceof RemoteUnavailableException
                    || e instanceof AuthenticationException)
            ? "server: "
            : "";
    err.println("vaultsync: " + name + ": " + prefix + ErrorMessages.describe(e, server, during));
    err.flush();
    return VaultsyncCommand.EXIT_BAD_INPUT;
  }

  private URI server() {
    return root != null ? root.lastServer() : null;
  }

  /** How far this command got with the server, for a connection lost or stalled midway. */
  private ErrorMessages.During during() {
    return new ErrorMessages.During(
        spec.name(),
        root != null ? root.bytesSent() : -1,
        root != null ? root.bytesReceived() : -1);
  }

  /**
   * Where a sync reports progress: a bar on stderr once it has planned {@code minFiles} files or
   * {@code minBytes} bytes, but only when stderr is a terminal, without {@code --quiet} and without
   * {@code --json} (whose output is never mixed with a bar); otherwise nowhere.
   */
  SyncProgress progress(String task, boolean json, int minFiles, long minBytes) {
    if (quiet || json || root == null || !root.interactive()) {
      return SyncProgress.NONE;
    }
    return new TerminalProgress(task, minFiles, minBytes, System.err);
  }

  /** Does the work, printing to {@code out}; returns the exit code. */
  abstract int run(PrintWriter out) throws IOException;

  static URI serverUri(String url) {
    try {
      URI u = new URI(url);
      if (!u.isAbsolute() || u.getHost() == null) {
        throw new IllegalArgumentException(
            "server URL \"" + url + "\" has no scheme or host; expected e.g. https://host:8443");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "server URL \""
              + url
              + "\" is malformed ("
              + e.getReason()
              + "); expected e.g. http://127.0.0.1:7420 or https://host:8443",
          e);
    }
  }

  /**
   * A device name of its own when none is given: the host's name and four random hex digits ({@code
   * laptop-3f2a}), so two folders on one machine, or two machines both called {@code vm}, never
   * share a name, and a conflict copy says which replica it came from.
   */
  static String defaultDevice() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      host = "device";
    }
    int dot = host.indexOf('.');
    if (dot > 0) {
      host = host.substring(0, dot); // laptop.example.org: the first label says enough
    }
    return host + "-" + String.format("%04x", new java.security.SecureRandom().nextInt(0x10000));
  }

  /**
   * Tells the user the device name this replica was given when they did not choose one ({@code
   * device} null): it names its conflict copies and its changes in the history.
   */
  static void announceDevice(PrintWriter out, String device, VaultConfig config, boolean json) {
    if (device == null && !json) {
      out.println(
          "this device is named \""
              + config.device()
              + "\" (in conflict copies and the history); choose a name with --device NAME");
    }
  }

  /**
   * Prints the summary (or JSON) of a sync, then one line per conflict copy and per file left out
   * (the deletes held back as one reason and their first paths); exit 6 when the mass-delete guard
   * held deletes back, else 7 when a file was left out, else 4 when conflict copies were made, else
   * 0.
   */
  static int report(PrintWriter out, SyncReport r, boolean json) {
    if (json) {
      out.println(syncStats(r));
    } else {
      out.println(r.summary());
      r.conflictCopies().forEach(c -> out.println("conflict: kept local version as \"" + c + "\""));
      NotSyncedLines.of(r.notSynced()).forEach(out::println);
      r.givenBack()
          .forEach(p -> out.println("given back: " + p + " (the server had lost its content)"));
    }
    out.flush();
    return exitCode(r);
  }

  /**
   * The exit code of a finished sync: 6 deletes held back (the rest was synced), 7 files left out,
   * 4 conflict copies made, else 0.
   */
  static int exitCode(SyncReport r) {
    if (r.hasHeldBack()) {
      return VaultsyncCommand.EXIT_REFUSED;
    }
    if (r.hasNotSynced()) {
      return VaultsyncCommand.EXIT_NOT_SYNCED;
    }
    return r.hasConflicts() ? VaultsyncCommand.EXIT_CONFLICTS : VaultsyncCommand.EXIT_OK;
  }

  /** A sync's figures as one JSON line, with every conflict copy and file left out. */
  static StatsLine syncStats(SyncReport r) {
    return new StatsLine("sync")
        .put("filesUp", r.filesUp())
        .put("filesDown", r.filesDown())
        .put("moved", r.moved())
        .put("deleted", r.deleted())
        .put("merged", r.merged())
        .put("bytesSent", r.bytesSent())
        .put("bytesReceived", r.bytesReceived())
        .put("conflicts", r.conflictCopies().size())
        .put("seq", r.seq())
        .put("millis", r.millis())
        .putStrings("conflictCopies", r.conflictCopies().stream().map(Object::toString).toList())
        .putObjects("notSynced", r.notSynced().stream().map(VaultCommand::json).toList())
        .putStrings("givenBack", r.givenBack().stream().map(Object::toString).toList());
  }

  /** One file left out as a JSON object: {@code {"path":…,"kind":"NAME","reason":…}}. */
  static StatsLine json(NotSynced n) {
    return StatsLine.object()
        .put("path", n.path())
        .put("kind", n.kind().name())
        .put("reason", n.reason());
  }

  /** The settings of a new replica: the server URL checked, the device name sanitized. */
  VaultConfig newConfig(String server, String vault, String device) {
    return new VaultConfig(
        serverUri(server),
        vault,
        VaultConfig.sanitizeDevice(device != null ? device : defaultDevice()));
  }
}
