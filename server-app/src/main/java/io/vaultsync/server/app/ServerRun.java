package io.vaultsync.server.app;

import io.vaultsync.server.cluster.ClusterDatabase;
import io.vaultsync.server.http.BrowserFace;
import io.vaultsync.server.http.ClientAddress;
import io.vaultsync.server.http.ContentReader;
import io.vaultsync.server.http.HttpAuth;
import io.vaultsync.server.http.HttpEndpoint;
import io.vaultsync.server.http.HttpServices;
import io.vaultsync.server.http.HttpState;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterWatcher;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.server.retention.ObjectStoreGc;
import io.vaultsync.server.retention.RetentionMaintenance;
import io.vaultsync.server.retention.RetentionScheduler;
import io.vaultsync.server.snapshot.SnapshotMaintenance;
import io.vaultsync.server.snapshot.SnapshotPolicy;
import io.vaultsync.server.snapshot.SnapshotScheduler;
import io.vaultsync.server.store.GarbageCollecting;
import io.vaultsync.transport.grpc.UploadSettings;
import io.vaultsync.transport.grpc.connect.ConnectBridge;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running server, in its start-up order: open the data folder (checks and reconciliation),
 * watch the master folders, start the snapshot and retention schedulers, then the RPC endpoint and,
 * if asked, the HTTP one; on the stop signal, end the change feeds first and close everything in
 * reverse order.
 */
final class ServerRun {
  /**
   * Initialised when the server runs, not when the CLI builds its commands (logback costs ~200 ms).
   */
  private static final Logger log = LoggerFactory.getLogger(ServerRun.class);

  private ServerRun() {}

  /**
   * Serves until {@code stopSignal} completes; {@code started} hears of the running server once it
   * serves.
   */
  static int serve(
      ServerSettings settings,
      RpcEndpoint rpc,
      CompletableFuture<Void> stopSignal,
      Consumer<ServerCommand.Running> started)
      throws IOException, InterruptedException {
    ServerConfig config = settings.config();
    HttpSettings httpConfig = settings.http();
    SnapshotPolicy snapshots = settings.snapshots();
    try (ServerData opened = open(settings);
        MasterWatcher watcher = opened.keepsMasterFolders() ? watcher(opened) : null) {
      if (watcher != null) {
        watcher.start();
      }
      opened.startKeepingMasterFolders();
      SnapshotScheduler scheduler =
          new SnapshotScheduler(
              new SnapshotMaintenance(
                  opened.vaults(), opened.snapshots(), snapshots, Clock.systemUTC()),
              snapshots,
              opened.leases());
      scheduler.start();
      RetentionMaintenance maintenance =
          new RetentionMaintenance(
              opened.retention(),
              opened.ledger(),
              opened.store(),
              settings.retention(),
              settings.repackEvery(),
              Clock.systemUTC());
      maintenance.afterThinning(opened.quotas()::forget);
      RetentionScheduler retentionScheduler = new RetentionScheduler(maintenance, opened.leases());
      retentionScheduler.start();
      ObjectStoreGc objectGc =
          opened.content() instanceof GarbageCollecting collecting
              ? new ObjectStoreGc(
                  collecting,
                  opened.retention(),
                  opened.leases(),
                  settings.repackEvery(),
                  Clock.systemUTC())
              : null;
      if (objectGc != null) {
        objectGc.start();
      }
      try (scheduler;
          retentionScheduler;
          objectGc;
          RpcService service =
              rpc.service(
                  opened.vaults(),
                  opened.tokens(),
                  UploadSettings.of(
                      uploadFolder(config.data()), settings.storageLimits().maxFileBytes()));
          RpcEndpoint.Running running = rpc.start(config.listen(), service, config.tls());
          HttpEndpoint.Running web = startHttp(httpConfig, opened, config.tls(), service)) {
        log.info(
            "serving {} vaults from {} on {}:{} ({})",
            opened.vaults().listVaults().size(),
            config.data(),
            config.listen().getAddress().getHostAddress(),
            running.port(),
            config.tls() == null ? "plaintext" : "TLS");
        if (opened.tokens().list().isEmpty()) {
          log.warn(
              "no device tokens yet, so every call will be refused: create one with"
                  + " 'vaultsync server token create --data {} --name DEVICE'",
              config.data());
        }
        if (web != null) {
          log.info(
              "serving HTTP on {}:{}, share links at {}",
              httpConfig.listen().getAddress().getHostAddress(),
              web.port(),
              httpConfig.publicUrl(web.port()));
        }
        started.accept(
            new ServerCommand.Running(opened, running.port(), web == null ? -1 : web.port()));
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

  /**
   * Where the service stages UploadPart's parts: {@code DATA/tmp/uploads}, this process's own (a
   * data folder serves one process at a time; its files are deleted when the service starts).
   */
  static Path uploadFolder(Path data) {
    return data.resolve("tmp").resolve("uploads");
  }

  /** Opens the data folder, or this process's part of a server of several ({@code --database}). */
  private static ServerData open(ServerSettings settings) throws IOException {
    Path data = settings.config().data();
    if (settings.storage() == null) {
      return ServerData.open(
          data, Clock.systemUTC(), settings.deleteLimits(), settings.storageLimits());
    }
    return ServerData.openShared(
        data,
        Clock.systemUTC(),
        settings.deleteLimits(),
        settings.storageLimits(),
        settings.storage());
  }

  /** The watcher of the master folders, reconciling a vault when its folder changes. */
  static MasterWatcher watcher(ServerData opened) {
    Path root = opened.masterFoldersRoot();
    return new MasterWatcher(
        root,
        new MasterWatcher.Target() {
          @Override
          public void reconcile(String folderName) throws IOException {
            VaultName name;
            try {
              name = VaultName.of(folderName);
            } catch (IllegalArgumentException e) {
              return;
            }
            if (opened.reconciler().adoptFolders(root).contains(name)
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
        opened.vaults().ownWrites());
  }

  /**
   * The HTTP state: in this process's memory for the embedded server; for a server of several
   * processes, in their shared database, so a login, a CSRF token, a share password typed and the
   * attempt limits hold whichever process a request reaches.
   */
  private static HttpState httpState(ServerData opened) throws IOException {
    Clock clock = Clock.systemUTC();
    ClusterDatabase cluster = opened.cluster();
    if (cluster == null) {
      return HttpState.inMemory(clock);
    }
    return HttpState.shared(
        cluster.sessions(clock),
        cluster.secret("http"),
        (name, max, window) -> cluster.attempts(name, max, window, clock),
        clock);
  }

  /**
   * Starts the HTTP endpoint if {@code --http} was given, else returns null; its browser face calls
   * {@code service}, the one the gRPC port serves.
   */
  private static HttpEndpoint.Running startHttp(
      HttpSettings settings, ServerData opened, TlsFiles tls, RpcService service)
      throws IOException {
    if (settings == null) {
      return null;
    }
    HttpAuth auth = new HttpAuth(opened.tokens(), httpState(opened), tls != null);
    ConnectBridge bridge = ConnectBridge.start(service.definition());
    HttpServices services =
        new HttpServices(
            opened.vaults(),
            ContentReader.of(opened.content()),
            auth,
            opened.shares(),
            ClientAddress.behind(settings.trustedProxies()),
            new BrowserFace(bridge, BrowserFace.origins(settings.corsOrigins())));
    HttpEndpoint.Running web;
    try {
      web = HttpEndpoint.start(settings.listen(), tls, services, HttpEndpoint.defaultRoutes());
    } catch (IOException | RuntimeException e) {
      bridge.close();
      throw e;
    }
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
        bridge.close();
      }
    };
  }
}
