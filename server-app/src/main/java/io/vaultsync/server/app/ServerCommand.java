package io.vaultsync.server.app;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.server.net.ListenException;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.server.retention.RetentionPolicy;
import io.vaultsync.server.snapshot.SnapshotPolicy;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaultsync server --data DIR [--listen 127.0.0.1:7420] [--http 127.0.0.1:7421 [--public-url
 * URL]] [--tls-cert FILE --tls-key FILE] [--insecure] [--snapshot-every 6h] [--keep-snapshots 4]
 * [--compact-after 30d|off] [--keep-all 30d] [--hourly 7d] [--daily 365d] [--repack-every
 * 24h|off]}: opens the data folder, reconciles every vault with its master folder, watches the
 * folders and serves the vaults through an {@link RpcEndpoint} until stopped. With {@code
 * --database} and {@code --objects} it is one process of a server of several ({@link
 * StorageSettings}).
 *
 * <p>Over 400 lines: one annotated field per option (30 of them, each with its help text) and the
 * checks that turn them into {@link ServerSettings}; running is {@link ServerRun}'s.
 *
 * <p>TLS: give a PEM certificate chain and a PEM (PKCS#8) private key, e.g. made with {@code
 * openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout key.pem -out
 * cert.pem -days 825 -subj /CN=vault.example -addext subjectAltName=DNS:vault.example}. Without
 * them the server serves plaintext, which it allows only on a loopback address unless {@code
 * --insecure} is given.
 *
 * <p>Exit codes: 0 stopped normally, 2 bad arguments or a damaged data folder it cannot start from
 * (one line naming the file and what to run), 3 no {@link RpcEndpoint} available, 1 other failures.
 *
 * <p>This class is the options and their checks ({@link ServerSettings}); {@link ServerRun} is the
 * start-up order.
 */
@Command(
    name = "server",
    mixinStandardHelpOptions = true,
    description = "Run the vaultsync server.",
    subcommands = {
      TokenCommand.class,
      SnapshotCommand.class,
      CompactCommand.class,
      RetentionCommand.class,
      RepackCommand.class,
      QuotaCommand.class,
      GcCommand.class,
      CheckCommand.class
    })
public final class ServerCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  // Not required = true: picocli would then demand it before "token" subcommands too.
  @Option(
      names = "--database",
      paramLabel = "URL",
      description =
          "Share metadata with the server's other processes in PostgreSQL,"
              + " postgresql://USER@HOST:PORT/DATABASE (password from PGPASSWORD); needs --objects."
              + " Default: SQLite in --data.")
  String database;

  @Option(
      names = "--objects",
      paramLabel = "URL",
      description =
          "Keep content in S3-compatible object storage, s3://BUCKET[/PREFIX] (credentials from"
              + " AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY); needs --database.")
  URI objects;

  @Option(
      names = "--s3-endpoint",
      paramLabel = "URL",
      description =
          "The object store's address, e.g. http://127.0.0.1:9000 for MinIO, Garage, SeaweedFS,"
              + " Ceph or s3proxy (path-style requests). Default: AWS.")
  URI s3Endpoint;

  @Option(
      names = "--server-id",
      paramLabel = "NAME",
      description = "This process's name in leases and logs (default: HOST-PID).")
  String serverId;

  @Option(
      names = "--cache-size",
      paramLabel = "SIZE",
      converter = SizeText.class,
      defaultValue = "256M",
      description =
          "Most the local cache of --objects may hold in --data (default: ${DEFAULT-VALUE}).")
  long cacheSize;

  @Option(
      names = "--master-folders",
      paramLabel = "DIR",
      description =
          "With --database: keep each vault as a real folder DIR/NAME, written and watched by one"
              + " process of the server at a time (a lease another takes over when it dies)."
              + " Without --database they are always DATA/vaults.")
  Path masterFolders;

  @Option(names = "--data", description = "Data folder (created if missing); required.")
  Path data;

  @Option(
      names = "--listen",
      defaultValue = "127.0.0.1:7420",
      description = "Address to serve on (default: ${DEFAULT-VALUE}).")
  String listen;

  @Option(
      names = "--http",
      paramLabel = "ADDR",
      description =
          "Also serve HTTP (zip downloads, share links, the web page) on this address, e.g."
              + " 127.0.0.1:7421; off unless given. Same TLS and loopback rules as --listen.")
  String http;

  @Option(
      names = "--public-url",
      paramLabel = "URL",
      description =
          "The HTTP base URL people reach this server at, used in share links (default:"
              + " http(s)://<--http address>).")
  String publicUrl;

  @Option(
      names = "--trusted-proxy",
      paramLabel = "ADDR",
      split = ",",
      description =
          "IP address of a reverse proxy in front of --http (repeat or separate with commas):"
              + " from it, the right-most X-Forwarded-For address that is not a trusted proxy is"
              + " the client, for sign-in and share password limits and logs; default: none.")
  java.util.List<String> trustedProxies = new java.util.ArrayList<>();

  @Option(
      names = "--cors-origin",
      paramLabel = "ORIGIN",
      description =
          "An origin (scheme://host[:port]) whose web pages may call the browser face of the"
              + " protocol on --http, besides Obsidian's (app://obsidian.md,"
              + " capacitor://localhost, http://localhost); repeatable.")
  java.util.List<String> corsOrigins = new java.util.ArrayList<>();

  @Option(names = "--tls-cert", description = "PEM certificate chain; enables TLS with --tls-key.")
  Path tlsCert;

  @Option(names = "--tls-key", description = "PEM (PKCS#8) private key of --tls-cert.")
  Path tlsKey;

  @Option(
      names = "--max-deletes",
      defaultValue = "0",
      paramLabel = "N",
      description =
          "Also refuse a commit that deletes more than N files, however large the vault, unless"
              + " the client says --allow-mass-delete (default: 0, no absolute cap).")
  int maxDeletes;

  @Option(
      names = "--max-delete-percent",
      defaultValue = "30",
      paramLabel = "P",
      description =
          "Refuse a commit that deletes more than P%% of a vault's files, from"
              + " --delete-percent-floor deletes on, unless the client says --allow-mass-delete"
              + " (default: ${DEFAULT-VALUE}).")
  int maxDeletePercent;

  @Option(
      names = "--delete-percent-floor",
      defaultValue = "10",
      paramLabel = "N",
      description =
          "The percentage rule applies only to commits of at least N deletes (with the same"
              + " device's deletes of the last minute; default: ${DEFAULT-VALUE}).")
  int deletePercentFloor;

  @Option(
      names = "--insecure",
      description = "Allow plaintext on a non-loopback address (only behind a trusted tunnel).")
  boolean insecure;

  @Option(
      names = "--snapshot-every",
      defaultValue = "6h",
      converter = DurationText.class,
      description =
          "Snapshot each changed vault this often, e.g. 6h, 30m; 0: only on request"
              + " (default: ${DEFAULT-VALUE}).")
  Duration snapshotEvery;

  @Option(
      names = "--keep-snapshots",
      defaultValue = "4",
      description = "Snapshots kept per vault, newest first (default: ${DEFAULT-VALUE}).")
  int keepSnapshots;

  @Option(
      names = "--compact-after",
      defaultValue = "30d",
      converter = DurationText.class,
      description =
          "Compact ledger rows older than this (never past the oldest kept snapshot); off:"
              + " never automatically (default: ${DEFAULT-VALUE}).")
  Duration compactAfter;

  @Option(
      names = "--keep-all",
      defaultValue = "30d",
      converter = DurationText.class,
      description = "Keep every version this long (default: ${DEFAULT-VALUE}).")
  Duration keepAll;

  @Option(
      names = "--hourly",
      defaultValue = "7d",
      converter = DurationText.class,
      description =
          "Then keep the newest version of each hour for this long (default: ${DEFAULT-VALUE}).")
  Duration hourly;

  @Option(
      names = "--daily",
      defaultValue = "365d",
      converter = DurationText.class,
      description =
          "Then keep the newest version of each day for this long (default: ${DEFAULT-VALUE});"
              + " a vault's own policy ('server retention') overrides these three.")
  Duration daily;

  @Option(
      names = "--repack-every",
      defaultValue = "24h",
      converter = DurationText.class,
      description =
          "Repack the content store, old versions as deltas, this often; off: only by"
              + " 'server repack' (default: ${DEFAULT-VALUE}).")
  Duration repackEvery;

  @Option(
      names = "--max-file-size",
      defaultValue = "1G",
      paramLabel = "SIZE",
      converter = SizeText.class,
      description =
          "Refuse to store a file larger than this, e.g. 200M, 4G; a client reports such a file"
              + " as not synced (default: ${DEFAULT-VALUE}).")
  long maxFileSize;

  @Option(
      names = "--vault-quota",
      defaultValue = "none",
      paramLabel = "SIZE",
      converter = SizeText.class,
      description =
          "Storage quota of each vault without its own ('server quota'): the size of the distinct"
              + " versions its history, head and snapshots keep, e.g. 10G; none: unlimited"
              + " (default: ${DEFAULT-VALUE}).")
  long vaultQuota;

  private final RpcEndpoint endpoint;
  private final CompletableFuture<Void> stop;
  private final Consumer<Running> started;

  /** A running server, as tests and embedders see it. */
  public record Running(ServerData data, int port, int httpPort) {
    /** A running server without HTTP. */
    public Running(ServerData data, int port) {
      this(data, port, -1);
    }
  }

  /**
   * The command as {@code main} runs it: the endpoint from {@link ServiceLoader}, stops on exit.
   */
  public ServerCommand() {
    this(null, null, r -> {});
  }

  /**
   * A command with an explicit endpoint (null: {@link ServiceLoader}), a future that stops it when
   * completed (null: run until the JVM exits) and a callback once it serves.
   */
  public ServerCommand(
      RpcEndpoint endpoint, CompletableFuture<Void> stop, Consumer<Running> started) {
    this.endpoint = endpoint;
    this.stop = stop;
    this.started = started;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter err = spec.commandLine().getErr();
    ServerConfig config;
    HttpSettings httpConfig = null;
    DeleteLimits deleteLimits;
    SnapshotPolicy snapshots;
    RetentionPolicy retention;
    io.vaultsync.server.limits.StorageLimits storageLimits;
    StorageSettings storage;
    try {
      if (snapshotEvery == null) {
        throw new IllegalArgumentException("--snapshot-every off: write 0 for on request only");
      }
      snapshots = new SnapshotPolicy(snapshotEvery, keepSnapshots, compactAfter);
      if (keepAll == null || hourly == null || daily == null) {
        throw new IllegalArgumentException(
            "--keep-all, --hourly and --daily take durations (0 skips a phase), not off");
      }
      retention = new RetentionPolicy(keepAll, hourly, daily);
      if (repackEvery != null && repackEvery.compareTo(Duration.ofMinutes(10)) < 0) {
        throw new IllegalArgumentException(
            "--repack-every " + repackEvery + "; expected at least 10m, or off");
      }
      deleteLimits = new DeleteLimits(maxDeletes, maxDeletePercent, deletePercentFloor);
      if (maxFileSize == SizeText.NONE) {
        throw new IllegalArgumentException(
            "--max-file-size none: give a size; a server always bounds what one delta may write");
      }
      storageLimits =
          new io.vaultsync.server.limits.StorageLimits(
              maxFileSize,
              vaultQuota == SizeText.NONE
                  ? java.util.OptionalLong.empty()
                  : java.util.OptionalLong.of(vaultQuota));
      if (data == null) {
        throw new IllegalArgumentException("--data DIR is required");
      }
      storage = storage();
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together; give both");
      }
      TlsFiles tls = tlsCert == null ? null : new TlsFiles(tlsCert, tlsKey);
      config = new ServerConfig(data, ServerConfig.parseListen(listen), tls, insecure);
      if (http != null) {
        httpConfig =
            HttpSettings.of(http, publicUrl, trustedProxies, tls, insecure)
                .withCorsOrigins(corsOrigins);
      } else if (publicUrl != null) {
        throw new IllegalArgumentException("--public-url needs --http ADDR");
      } else if (!trustedProxies.isEmpty()) {
        throw new IllegalArgumentException("--trusted-proxy needs --http ADDR");
      } else if (!corsOrigins.isEmpty()) {
        throw new IllegalArgumentException("--cors-origin needs --http ADDR");
      }
    } catch (IllegalArgumentException e) {
      err.println("vaultsync server: " + e.getMessage());
      err.flush();
      return 2;
    }
    RpcEndpoint rpc = endpoint != null ? endpoint : loadEndpoint();
    if (rpc == null) {
      err.println(
          "vaultsync server: no RpcEndpoint implementation on the class path (the gRPC service"
              + " from transport-grpc is not wired in this build)");
      err.flush();
      return 3;
    }
    CompletableFuture<Void> stopSignal = stop != null ? stop : new CompletableFuture<>();
    java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
    if (stop == null) {
      // Ctrl-C or SIGTERM: let the main thread end the feeds, finish the master-folder writes and
      // close the databases before the JVM halts.
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    stopSignal.complete(null);
                    try {
                      finished.await(15, java.util.concurrent.TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                  }));
    }
    try {
      return ServerRun.serve(
          new ServerSettings(
              config,
              httpConfig,
              snapshots,
              retention,
              repackEvery,
              deleteLimits,
              storageLimits,
              storage),
          rpc,
          stopSignal,
          started);
    } catch (io.vaultsync.server.integrity.DamagedDataException
        | io.vaultsync.server.cluster.StorageUnavailableException e) {
      err.println("vaultsync server: " + e.getMessage()); // one line: the file and what to do
      err.flush();
      return 2;
    } catch (ListenException | FileSystemException | DataFolderInUseException e) {
      String line = OperatorErrors.describe(e, config.data());
      if (line == null) {
        throw e; // not an operator's problem: a bug, with its stack trace (exit 3)
      }
      err.println("vaultsync server: " + line);
      err.flush();
      return 2;
    } finally {
      finished.countDown();
    }
  }

  /** The shared storage of {@code --database} and {@code --objects}, or null for neither. */
  private StorageSettings storage() {
    if (database == null && objects == null) {
      if (s3Endpoint != null) {
        throw new IllegalArgumentException("--s3-endpoint needs --objects s3://BUCKET");
      }
      if (masterFolders != null) {
        throw new IllegalArgumentException(
            "--master-folders is for a server of several processes (--database); this one keeps"
                + " them in "
                + ServerData.vaultsRoot(data));
      }
      return null;
    }
    if (database == null) {
      throw new IllegalArgumentException(
          "--objects needs --database postgresql://...: the object store's index lives in the"
              + " database the server's processes share");
    }
    if (objects == null) {
      throw new IllegalArgumentException(
          "--database needs --objects s3://BUCKET: processes on several machines cannot share"
              + " the content packs of one data folder");
    }
    String id = serverId;
    if (id == null) {
      String host;
      try {
        host = java.net.InetAddress.getLocalHost().getHostName();
      } catch (java.net.UnknownHostException e) {
        host = "server";
      }
      id = host + "-" + ProcessHandle.current().pid();
    }
    SharedStorage.requireProviders(database, objects);
    return new StorageSettings(database, objects, s3Endpoint, id, cacheSize, masterFolders);
  }

  /** The endpoint from {@link ServiceLoader} if one is registered, else the gRPC one. */
  private static RpcEndpoint loadEndpoint() {
    Iterator<RpcEndpoint> it = ServiceLoader.load(RpcEndpoint.class).iterator();
    return it.hasNext() ? it.next() : new GrpcRpcEndpoint();
  }
}
