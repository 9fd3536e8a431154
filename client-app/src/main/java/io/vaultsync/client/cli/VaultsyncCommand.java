package io.vaultsync.client.cli;

import io.vaultsync.client.grpc.GrpcConnector;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.remote.WireCounter;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.app.ServerCommand;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.time.Clock;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * The {@code vaultsync} command line: the top-level command that only dispatches to subcommands.
 *
 * <p>Binary data on standard input and output goes through the streams given to the constructor (by
 * default the process's file descriptors 0 and 1), so tests can run a command in-process with their
 * own streams; text for people (help, errors, {@code --stats}) goes through picocli's {@link
 * CommandLine#getOut()} and {@link CommandLine#getErr()}.
 */
@Command(
    name = "vaultsync",
    mixinStandardHelpOptions = true,
    versionProvider = VaultsyncCommand.ManifestVersion.class,
    scope = ScopeType.INHERIT,
    exitCodeOnInvalidInput = VaultsyncCommand.EXIT_USAGE,
    exitCodeOnExecutionException = VaultsyncCommand.EXIT_INTERNAL,
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:success",
      "1:usage error: unknown option, missing or extra argument",
      "2:bad input: missing or unreadable file, malformed signature or delta, bad option value, I/O"
          + " error (one line on stderr; no output file is left behind)",
      "3:internal error (a bug: please report it with the stack trace)",
      "4:sync finished, and conflicting versions were kept as conflict copies",
      "5:verify: the folder and the server differ (each differing path is named)",
      "6:sync finished but held deletes back: they are more than the limits allow (default: more"
          + " than 30%% of the vault's files, from 10 deletes on), or the folder looks empty or"
          + " unmounted; everything else was synced (run again with --allow-mass-delete if"
          + " intended). watch never stops for this: it holds them back and goes on",
      "7:sync, clone or init finished, but left files out: each is named with the reason (a name"
          + " or kind that cannot be synced, content the server lacks or refused, a file that"
          + " changed while being read)"
    },
    footerHeading = "%n",
    footer = {
      "Use - for standard input or output where a command allows it. Output files are written to a"
          + " temporary name and renamed when complete, so a failed command never leaves a partial"
          + " file behind and leaves an existing one as it was."
    },
    description = {
      "Self-hosted sync for Markdown vaults.",
      "",
      "The file commands work like rdiff's and take their arguments in its order:",
      "  vaultsync signature BASIS SIG",
      "  vaultsync delta SIG NEW DELTA",
      "  vaultsync patch BASIS DELTA OUT",
      "",
      "Sync:",
      "  vaultsync init DIR --server URL --vault NAME --token-file FILE",
      "  vaultsync vaults URL --token-file FILE",
      "  vaultsync clone URL NAME DIR --token-file FILE",
      "  vaultsync sync DIR [--json] [--allow-mass-delete]",
      "  vaultsync watch DIR",
      "  vaultsync status DIR [--allow-mass-delete]",
      "  vaultsync verify DIR [--json]",
      "  vaultsync snapshot DIR",
      "The token comes from --token-file FILE, --token-stdin or the environment variable",
      "VAULTSYNC_TOKEN (--token T works too, but other users see it in ps).",
      "",
      "History:",
      "  vaultsync log DIR [PATH] [--json] [--limit N]",
      "  vaultsync restore DIR PATH --at SEQ|TIME",
      "  vaultsync restore DIR --all --at SEQ|TIME [--yes]",
      "",
      "Share links (the server must run with --http):",
      "  vaultsync share create DIR PATH [--expires 7d] [--password | --password-stdin]",
      "  vaultsync share list DIR [--json]",
      "  vaultsync share revoke DIR ID",
      ""
    })
public final class VaultsyncCommand implements Callable<Integer> {
  /**
   * The subcommands, by name, in the order help lists them. Not in {@code @Command(subcommands)}:
   * picocli builds the model of every listed command (reflection on ~60 annotated classes,
   * picocli's own classes cannot be class-data shared), which took a third of a no-op sync's
   * start-up; {@link #commandLine} adds only the one a command line names.
   */
  static final Map<String, Class<?>> SUBCOMMANDS = subcommands();

  private static Map<String, Class<?>> subcommands() {
    Map<String, Class<?>> m = new LinkedHashMap<>();
    m.put("signature", SignatureCommand.class);
    m.put("delta", DeltaCommand.class);
    m.put("patch", PatchCommand.class);
    m.put("init", InitCommand.class);
    m.put("clone", CloneCommand.class);
    m.put("sync", SyncCommand.class);
    m.put("watch", WatchCommand.class);
    m.put("status", StatusCommand.class);
    m.put("vaults", VaultsCommand.class);
    m.put("verify", VerifyCommand.class);
    m.put("snapshot", SnapshotCommand.class);
    m.put("log", LogCommand.class);
    m.put("restore", RestoreCommand.class);
    m.put("share", ShareCommand.class);
    m.put("server", ServerCommand.class);
    return Collections.unmodifiableMap(m);
  }

  /**
   * The command line of {@code root} for {@code args}: when {@code args} starts with a subcommand's
   * name, with only that subcommand (its own help, options and errors are the same); otherwise (no
   * argument, {@code --help}, a misspelt command) with all of them, so help lists them all and
   * picocli can suggest the closest name. Call {@code execute(args)} on it.
   */
  public static CommandLine commandLine(VaultsyncCommand root, String... args) {
    CommandLine cli = new CommandLine(root);
    Class<?> only = args.length > 0 ? SUBCOMMANDS.get(args[0]) : null;
    for (Map.Entry<String, Class<?>> e : SUBCOMMANDS.entrySet()) {
      if (only == null || only == e.getValue()) {
        cli.addSubcommand(e.getKey(), e.getValue());
      }
    }
    return cli;
  }

  public static final int EXIT_OK = 0;
  public static final int EXIT_USAGE = 1;
  public static final int EXIT_BAD_INPUT = 2;
  public static final int EXIT_INTERNAL = 3;
  public static final int EXIT_CONFLICTS = 4;
  public static final int EXIT_DIFFERENT = 5;
  public static final int EXIT_REFUSED = 6;
  public static final int EXIT_NOT_SYNCED = 7;

  private final InputStream stdin;
  private final OutputStream stdout;
  private final RemoteConnector connector;
  private final Clock clock;

  @Spec CommandSpec spec;

  /**
   * A command on the process's standard input and output. Not {@code System.out}: a {@code
   * PrintStream} swallows write errors, so a closed pipe or a full disk would go unnoticed and the
   * command would exit 0.
   */
  public VaultsyncCommand() {
    this(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
  }

  /** A command whose {@code -} arguments read {@code stdin} and write {@code stdout}. */
  public VaultsyncCommand(InputStream stdin, OutputStream stdout) {
    this(stdin, stdout, new GrpcConnector(), Clock.systemDefaultZone());
  }

  /**
   * A command whose sync subcommands reach servers through {@code connector} and name conflict
   * copies with {@code clock}'s time and zone.
   */
  public VaultsyncCommand(
      InputStream stdin, OutputStream stdout, RemoteConnector connector, Clock clock) {
    this.stdin = Objects.requireNonNull(stdin, "stdin");
    this.stdout = Objects.requireNonNull(stdout, "stdout");
    this.connector = Objects.requireNonNull(connector, "connector");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  private java.util.function.UnaryOperator<String> env = System::getenv;

  /** This command reading its environment variables from {@code env} (tests). */
  VaultsyncCommand withEnv(java.util.Map<String, String> variables) {
    java.util.Map<String, String> copy = java.util.Map.copyOf(variables);
    this.env = copy::get;
    return this;
  }

  /** The value of environment variable {@code name}, or null. */
  String env(String name) {
    return env.apply(name);
  }

  private volatile URI lastServer;
  private volatile WireCounter lastWire;

  /**
   * How sync subcommands connect to a server; the server and the connection's byte counts are
   * remembered for error messages.
   */
  RemoteConnector connector() {
    return (server, token) -> {
      lastServer = server;
      VaultTransport t = connector.connect(server, token);
      lastWire = WireCounter.of(t);
      return t;
    };
  }

  /** Bytes sent to the server over the last connection (-1 if none was made). */
  long bytesSent() {
    WireCounter w = lastWire;
    return w != null ? w.bytesSent() : -1;
  }

  /** Bytes received from the server over the last connection (-1 if none was made). */
  long bytesReceived() {
    WireCounter w = lastWire;
    return w != null ? w.bytesReceived() : -1;
  }

  /**
   * Whether stderr is a terminal a progress bar may be drawn on ({@code System.console()} is null
   * when either standard stream is redirected, as in tests and pipes).
   */
  boolean interactive() {
    return System.console() != null;
  }

  /** The server the last connection went to (null if none), for error messages. */
  URI lastServer() {
    return lastServer;
  }

  Clock clock() {
    return clock;
  }

  public static void main(String[] args) {
    System.exit(commandLine(new VaultsyncCommand(), args).execute(args));
  }

  /** Where {@code -} as an input reads from; callers must not close it. */
  InputStream stdin() {
    return stdin;
  }

  /** Where {@code -} as an output writes to; callers must not close it. */
  OutputStream stdout() {
    return stdout;
  }

  /** {@code vaultsync} without a subcommand is a usage error. */
  @Override
  public Integer call() {
    throw new ParameterException(
        spec.commandLine(),
        "missing command: signature, delta, patch, init, vaults, clone, sync, watch, status,"
            + " verify or snapshot");
  }

  /** The version from the jar manifest, or "development build" when run from classes. */
  static final class ManifestVersion implements IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = VaultsyncCommand.class.getPackage().getImplementationVersion();
      return new String[] {"vaultsync " + (v != null ? v : "(development build)")};
    }
  }
}
