package io.vaultsync.client.cli;

import io.vaultsync.client.grpc.GrpcConnector;
import io.vaultsync.client.remote.LoopbackRelay;
import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.sync.PathHashes;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.RetryPolicy;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The real server (SQLite ledger, pack store, master folder, gRPC on Netty) on 127.0.0.1 port 0,
 * with a {@link LoopbackRelay} in front of it, for CLI runs whose connection breaks. Commands run
 * in-process through {@link VaultsyncCommand#commandLine} with a {@link GrpcConnector}: {@link
 * #cut} through the relay with short timeouts ({@link #QUICK}), {@link #clean} straight to the
 * server with the defaults.
 */
final class RelayedServer implements AutoCloseable {
  static final String VAULT = "notes";

  /** Short stalls and deadlines and quick retries, so a broken run ends in seconds. */
  static final GrpcClientOptions QUICK =
      GrpcClientOptions.DEFAULTS
          .withStallTimeout(Duration.ofSeconds(1))
          .withUnaryDeadline(Duration.ofSeconds(2))
          .withRetry(
              new RetryPolicy(
                  4, Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(15)));

  final ServerData data;
  final String token;
  final LoopbackRelay relay;
  private final RpcEndpoint.Running rpc;

  /** Set to make the server reset every relayed connection right after its next commit. */
  final AtomicBoolean loseNextCommitAnswer = new AtomicBoolean();

  RelayedServer(Path dir) throws IOException {
    this.data = ServerData.open(dir, Clock.systemUTC());
    this.token = data.tokens().create("device");
    LoopbackRelay[] relayRef = new LoopbackRelay[1];
    VaultTransport backend = commitHook(data.vaults(), relayRef);
    this.rpc =
        new GrpcRpcEndpoint()
            .start(new InetSocketAddress("127.0.0.1", 0), backend, data.tokens(), null);
    this.relay = new LoopbackRelay(rpc.port());
    relayRef[0] = relay;
  }

  /** The server's vaults, resetting the relay's connections after a commit when asked to. */
  private VaultTransport commitHook(VaultTransport vaults, LoopbackRelay[] relay) {
    return (VaultTransport)
        Proxy.newProxyInstance(
            VaultTransport.class.getClassLoader(),
            new Class<?>[] {VaultTransport.class},
            (proxy, method, args) -> {
              Object result;
              try {
                result = method.invoke(vaults, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
              if (method.getName().equals("commit")
                  && loseNextCommitAnswer.compareAndSet(true, false)) {
                relay[0].resetAll(); // applied and durable; the answer never arrives
              }
              return result;
            });
  }

  /** {@code http://127.0.0.1:PORT} of the server itself. */
  String directUrl() {
    return "http://127.0.0.1:" + rpc.port();
  }

  /**
   * A run through the relay, with {@link #QUICK} options. Replicas name the relay as their server
   * ({@link LoopbackRelay#url}).
   */
  Cli.Run cut(String... args) {
    return Cli.run(new GrpcConnector(QUICK), Clock.systemDefaultZone(), args);
  }

  /** A run through the relay (a sound connection unless cut), with the default options. */
  Cli.Run sound(String... args) {
    return Cli.run(new GrpcConnector(), Clock.systemDefaultZone(), args);
  }

  /** A run straight to the server whatever URL it names, with the default options. */
  Cli.Run clean(String... args) {
    GrpcConnector direct = new GrpcConnector();
    RemoteConnector toServer = (server, t) -> direct.connect(java.net.URI.create(directUrl()), t);
    return Cli.run(toServer, Clock.systemDefaultZone(), args);
  }

  /**
   * {@code init DIR} of vault {@link #VAULT} through the relay, with this server's token, then
   * {@code more}.
   */
  String[] initArgs(Path dir, String... more) {
    return Cli.args(
        more, "init", dir.toString(), "--server", relay.url(), "--vault", VAULT, "--token", token);
  }

  /**
   * {@code clone} of vault {@link #VAULT} through the relay into {@code dir}, then {@code more}.
   */
  String[] cloneArgs(Path dir, String... more) {
    return Cli.args(more, "clone", relay.url(), VAULT, dir.toString(), "--token", token);
  }

  /** A connector through the relay with {@link #QUICK} options. */
  RemoteConnector quickConnector() {
    return new GrpcConnector(QUICK);
  }

  /** Sorted (path, hash) of the server's head. */
  Map<String, ContentHash> head() throws IOException {
    return PathHashes.of(data.vaults().manifest(VAULT));
  }

  /** Sorted (path, hash) of a folder, without its state folder and temporary files. */
  static Map<String, ContentHash> folder(Path dir) throws IOException {
    return PathHashes.ofFolder(dir);
  }

  @Override
  public void close() throws IOException {
    try {
      relay.close();
    } finally {
      try {
        rpc.close();
      } finally {
        data.close();
      }
    }
  }
}
