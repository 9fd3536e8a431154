package io.vaultsync.server.app;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.auth.RevocationWatch;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.net.ListenException;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.transport.grpc.OpenCalls;
import io.vaultsync.transport.grpc.TokenAuthenticator;
import io.vaultsync.transport.grpc.UploadSettings;
import io.vaultsync.transport.grpc.VaultSyncServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's gRPC face: a Netty server bound to exactly the address asked for (never all
 * interfaces), plaintext or TLS, serving the transport-grpc service over the server's vaults and
 * checking every call's token against the token store. Blocking storage work runs on its own pool,
 * never on Netty's event loops. The calls of a token that is revoked meanwhile are ended within
 * {@link ConnectionLimits#revocationCheck()} (UNAUTHENTICATED {@value #REVOKED}); connections
 * without calls are closed after {@link ConnectionLimits#maxConnectionIdle()}. UploadPart stages
 * its parts in the folder the server names ({@link ServerRun#uploadFolder}), or is refused when
 * started without one.
 */
public final class GrpcRpcEndpoint implements RpcEndpoint {
  private static final Logger log = LoggerFactory.getLogger(GrpcRpcEndpoint.class);

  /** What a call of a revoked token is closed with (UNAUTHENTICATED). */
  public static final String REVOKED = "device token revoked";

  private final ConnectionLimits limits;

  /** The endpoint with {@link ConnectionLimits#DEFAULTS}. */
  public GrpcRpcEndpoint() {
    this(ConnectionLimits.DEFAULTS);
  }

  /** An endpoint with its own connection limits (tests use short ones). */
  public GrpcRpcEndpoint(ConnectionLimits limits) {
    this.limits = java.util.Objects.requireNonNull(limits, "limits");
  }

  @Override
  public Running start(
      InetSocketAddress listen, VaultTransport backend, TokenStore tokens, TlsFiles tls)
      throws IOException {
    return start(listen, backend, tokens, tls, null);
  }

  @Override
  public Running start(
      InetSocketAddress listen,
      VaultTransport backend,
      TokenStore tokens,
      TlsFiles tls,
      Path uploadFolder,
      long maxFileBytes)
      throws IOException {
    return start(listen, backend, tokens, tls, UploadSettings.of(uploadFolder, maxFileBytes));
  }

  private Running start(
      InetSocketAddress listen,
      VaultTransport backend,
      TokenStore tokens,
      TlsFiles tls,
      UploadSettings uploads)
      throws IOException {
    AtomicInteger n = new AtomicInteger();
    ExecutorService pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "vaultsync-rpc-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    NettyServerBuilder builder =
        (tls == null
                ? NettyServerBuilder.forAddress(listen)
                : NettyServerBuilder.forAddress(listen, credentials(tls)))
            .maxConnectionIdle(limits.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTime(limits.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(limits.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(limits.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true);
    OpenCalls openCalls = new OpenCalls();
    TokenAuthenticator auth =
        token -> {
          try {
            return tokens.deviceFor(token);
          } catch (IOException e) {
            // The token database failed: refuse the call rather than guess.
            throw new UncheckedIOException("cannot check the device token", e);
          }
        };
    Duration idle = VaultSyncServices.DEFAULT_PUSH_IDLE_TIMEOUT;
    Server server =
        VaultSyncServices.configure(builder)
            .addService(
                uploads == null
                    ? VaultSyncServices.definition(backend, auth, pool, idle, openCalls)
                    : VaultSyncServices.definition(backend, auth, pool, idle, openCalls, uploads))
            .build();
    try {
      server.start();
    } catch (IOException e) {
      pool.shutdownNow();
      throw new ListenException("gRPC", listen, "--listen", e);
    }
    RevocationWatch revocations =
        new RevocationWatch(limits.revocationCheck(), () -> endRevoked(openCalls, tokens));
    return new Running() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() throws IOException {
        revocations.close();
        server.shutdown();
        try {
          if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
          }
        } catch (InterruptedException e) {
          server.shutdownNow();
          Thread.currentThread().interrupt();
        } finally {
          pool.shutdownNow();
        }
      }
    };
  }

  /**
   * Ends the open calls of every token the store no longer knows (revoked, possibly by {@code
   * vaultsync server token revoke} in another process). A token the store cannot be asked about
   * right now is left alone until the next check.
   */
  private static void endRevoked(OpenCalls openCalls, TokenStore tokens) {
    int ended =
        openCalls.endCalls(
            token -> {
              try {
                return tokens.deviceFor(token).isEmpty();
              } catch (IOException e) {
                log.warn("cannot check a device token for revocation: {}", e.toString());
                return false;
              }
            },
            REVOKED);
    if (ended > 0) {
      log.info("ended {} open calls of revoked device tokens", ended);
    }
  }

  private static ServerCredentials credentials(TlsFiles tls) throws IOException {
    return TlsServerCredentials.create(tls.certificate().toFile(), tls.privateKey().toFile());
  }
}
