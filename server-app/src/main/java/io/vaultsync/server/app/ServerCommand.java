package io.vaultsync.server.app;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.server.http.ContentReader;
import io.vaultsync.server.http.HttpAuth;
import io.vaultsync.server.http.HttpEndpoint;
import io.vaultsync.server.http.HttpServices;
import io.vaultsync.server.http.Sessions;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterWatcher;
import io.vaultsync.server.net.ListenException;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.server.retention.RetentionMaintenance;
import io.vaultsync.server.retention.RetentionPolicy;
import io.vaultsync.server.retention.RetentionScheduler;
import io.vaultsync.server.snapshot.SnapshotMaintenance;
import io.vaultsync.server.snapshot.SnapshotPolicy;
import io.vaultsync.server.snapshot.SnapshotScheduler;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Iterator;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code vaultsync server --data DIR [--listen 127.0.0.1:7420] [--http 127.0.0.1:7421 [--public-url
 * URL]] [--tls-cert FILE --tls-key FILE] [--insecure] [--snapshot-every 6h] [--keep-snapshots 4]
 * [--compact-after 30d|off] [--keep-all 30d] [--hourly 7d] [--daily 365d] [--repack-every
 * 24h|off]}: opens the data folder, reconciles every vault with its master folder, watches the
 * folders and serves the vaults through an {@link RpcEndpoint} until stopped.
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
 * <p>Over 400 lines: about twenty options (a third of the file) and the server's start-up order,
 * which reads best in one place.
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
  /**
   * Looked up when the server runs, not when the class loads: the CLI builds every subcommand at
   * start-up, and initialising logback then cost ~200 ms on every {@code vaultsync} command.
   */
  private static Logger log() {
    return LoggerFactory.getLogger(ServerCommand.class);
  }

  @Spec CommandSpec spec;

  // Not required = true: picocli would then demand it before "token" subcommands too.
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

  /** The default retention policy, checked in {@link #call}. */
  private RetentionPolicy retention;

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
    io.vaultsync.server.limits.StorageLimits storageLimits;
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
      if ((tlsCert == null) != (tlsKey == null)) {
        throw new IllegalArgumentException("--tls-cert and --tls-key go together; give both");
      }
      TlsFiles tls = tlsCert == null ? null : new TlsFiles(tlsCert, tlsKey);
      config = new ServerConfig(data, ServerConfig.parseListen(listen), tls, insecure);
      if (http != null) {
        httpConfig = HttpSettings.of(http, publicUrl, tls, insecure);
      } else if (publicUrl != null) {
        throw new IllegalArgumentException("--public-url needs --http ADDR");
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
      return serve(config, httpConfig, snapshots, deleteLimits, storageLimits, rpc, stopSignal);
    } catch (io.vaultsync.server.integrity.DamagedDataException e) {
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

  private int serve(
      ServerConfig config,
      HttpSettings httpConfig,
      SnapshotPolicy snapshots,
      DeleteLimits deleteLimits,
      io.vaultsync.server.limits.StorageLimits storageLimits,
      RpcEndpoint rpc,
      CompletableFuture<Void> stopSignal)
      throws IOException, InterruptedException {
    try (ServerData opened =
            ServerData.open(config.data(), Clock.systemUTC(), deleteLimits, storageLimits);
        MasterWatcher watcher =
            new MasterWatcher(
                ServerData.vaultsRoot(config.data()),
                new MasterWatcher.Target() {
                  @Override
                  public void reconcile(String folderName) throws IOException {
                    VaultName name;
                    try {
                      name = VaultName.of(folderName);
                    } catch (IllegalArgumentException e) {
                      return;
                    }
                    if (opened
                            .reconciler()
                            .adoptFolders(ServerData.vaultsRoot(config.data()))
                            .contains(name)
                        || opened.vaults().listVaults().stream()
                            .anyMatch(v -> v.name().equals(folderName))) {
                      opened.reconciler().reconcile(name);
                    }
                  }

                  @Override
                  public void reconcileAll() throws IOException {
                    opened.reconciler().reconcileAll();
                  }
                },
                Duration.ofMillis(200),
                opened.vaults().ownWrites())) {
      watcher.start();
      SnapshotScheduler scheduler =
          new SnapshotScheduler(
              new SnapshotMaintenance(
                  opened.vaults(), opened.snapshots(), snapshots, Clock.systemUTC()),
              snapshots);
      scheduler.start();
      RetentionMaintenance maintenance =
          new RetentionMaintenance(
              opened.retention(),
              opened.ledger(),
              opened.store(),
              retention,
              repackEvery,
              Clock.systemUTC());
      maintenance.afterThinning(opened.quotas()::forget);
      RetentionScheduler retentionScheduler = new RetentionScheduler(maintenance);
      retentionScheduler.start();
      try (scheduler;
          retentionScheduler;
          RpcEndpoint.Running running =
              rpc.start(config.listen(), opened.vaults(), opened.tokens(), config.tls());
          HttpEndpoint.Running web = startHttp(httpConfig, opened, config.tls())) {
        log()
            .info(
                "serving {} vaults from {} on {}:{} ({})",
                opened.vaults().listVaults().size(),
                config.data(),
                config.listen().getAddress().getHostAddress(),
                running.port(),
                config.tls() == null ? "plaintext" : "TLS");
        if (opened.tokens().list().isEmpty()) {
          log()
              .warn(
                  "no device tokens yet, so every call will be refused: create one with"
                      + " 'vaultsync server token create --data {} --name DEVICE'",
                  config.data());
        }
        if (web != null) {
          log()
              .info(
                  "serving HTTP on {}:{}, share links at {}",
                  httpConfig.listen().getAddress().getHostAddress(),
                  web.port(),
                  httpConfig.publicUrl(web.port()));
        }
        started.accept(new Running(opened, running.port(), web == null ? -1 : web.port()));
        try {
          stopSignal.get();
        } catch (ExecutionException e) {
          // a failed stop signal still means stop
        }
        // End the change feeds first: watching clients hear UNAVAILABLE and reconnect with
        // backoff, and the endpoint need not wait for their open streams to close.
        opened.vaults().close();
      }
    }
    return 0;
  }

  /** Starts the HTTP endpoint if {@code --http} was given, else returns null. */
  private static HttpEndpoint.Running startHttp(
      HttpSettings settings, ServerData opened, TlsFiles tls) throws IOException {
    if (settings == null) {
      return null;
    }
    HttpAuth auth =
        new HttpAuth(opened.tokens(), Sessions.inMemory(Clock.systemUTC()), tls != null);
    HttpServices services =
        new HttpServices(
            opened.vaults(), ContentReader.of(opened.content()), auth, opened.shares());
    HttpEndpoint.Running web =
        HttpEndpoint.start(settings.listen(), tls, services, HttpEndpoint.defaultRoutes());
    opened.shares().baseUrl(settings.publicUrl(web.port()));
    io.vaultsync.server.auth.RevocationWatch revocations =
        new io.vaultsync.server.auth.RevocationWatch(
            io.vaultsync.server.auth.RevocationWatch.EVERY, auth::endRevokedSessions);
    return new HttpEndpoint.Running() {
      @Override
      public int port() {
        return web.port();
      }

      @Override
      public void close() {
        revocations.close();
        web.close();
      }
    };
  }

  /** The endpoint from {@link ServiceLoader} if one is registered, else the gRPC one. */
  private static RpcEndpoint loadEndpoint() {
    Iterator<RpcEndpoint> it = ServiceLoader.load(RpcEndpoint.class).iterator();
    return it.hasNext() ? it.next() : new GrpcRpcEndpoint();
  }
}
