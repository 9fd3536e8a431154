package io.vaultsync.server.app;

import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.net.ListenException;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.transport.grpc.UploadSettings;
import io.vaultsync.transport.grpc.VaultSyncServices;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The server's gRPC face: a Netty server bound to exactly the address asked for (never all
 * interfaces), plaintext or TLS, serving the transport-grpc service over the server's vaults and
 * checking every call's token against the token store. Blocking storage work runs on its own pool,
 * never on Netty's event loops. The calls of a token that is revoked meanwhile are ended within
 * {@link ConnectionLimits#revocationCheck()} (UNAUTHENTICATED {@value #REVOKED}); connections
 * without calls are closed after {@link ConnectionLimits#maxConnectionIdle()}. The service itself
 * is an {@link RpcService}, which the browser face on the HTTP port serves too; UploadPart stages
 * its parts in the folder the server names ({@link ServerRun#uploadFolder}), or is refused when the
 * endpoint serves a service of its own.
 */
public final class GrpcRpcEndpoint implements RpcEndpoint {
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

  /** A service whose revoked tokens' calls end within this endpoint's revocation check. */
  @Override
  public RpcService service(VaultTransport backend, TokenStore tokens, UploadSettings uploads)
      throws IOException {
    return new RpcService(backend, tokens, limits.revocationCheck(), uploads);
  }

  /**
   * Serves a service of its own over {@code backend} (UploadPart refused: no staging folder),
   * closed with the endpoint.
   */
  @Override
  public Running start(
      InetSocketAddress listen, VaultTransport backend, TokenStore tokens, TlsFiles tls)
      throws IOException {
    RpcService own = service(backend, tokens, null);
    Running running;
    try {
      running = start(listen, own, tls);
    } catch (IOException | RuntimeException e) {
      own.close();
      throw e;
    }
    return new Running() {
      @Override
      public int port() {
        return running.port();
      }

      @Override
      public void close() throws IOException {
        try {
          running.close();
        } finally {
          own.close();
        }
      }
    };
  }

  /** Serves {@code service}, which the caller closes after this endpoint. */
  @Override
  public Running start(InetSocketAddress listen, RpcService service, TlsFiles tls)
      throws IOException {
    NettyServerBuilder builder =
        (tls == null
                ? NettyServerBuilder.forAddress(listen)
                : NettyServerBuilder.forAddress(listen, credentials(tls)))
            .maxConnectionIdle(limits.maxConnectionIdle().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTime(limits.keepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            .keepAliveTimeout(limits.keepAliveTimeout().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveTime(limits.permitKeepAliveTime().toMillis(), TimeUnit.MILLISECONDS)
            .permitKeepAliveWithoutCalls(true);
    Server server = VaultSyncServices.configure(builder).addService(service.definition()).build();
    try {
      server.start();
    } catch (IOException e) {
      throw new ListenException("gRPC", listen, "--listen", e);
    }
    return new Running() {
      @Override
      public int port() {
        return server.getPort();
      }

      @Override
      public void close() throws IOException {
        server.shutdown();
        try {
          if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
            server.shutdownNow();
          }
        } catch (InterruptedException e) {
          server.shutdownNow();
          Thread.currentThread().interrupt();
        }
      }
    };
  }

  private static ServerCredentials credentials(TlsFiles tls) throws IOException {
    return TlsServerCredentials.create(tls.certificate().toFile(), tls.privateKey().toFile());
  }
}
