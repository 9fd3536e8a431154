package io.vaultsync.server.app;

import io.grpc.ServerServiceDefinition;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.auth.RevocationWatch;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.transport.grpc.OpenCalls;
import io.vaultsync.transport.grpc.TokenAuthenticator;
import io.vaultsync.transport.grpc.UploadSettings;
import io.vaultsync.transport.grpc.VaultSyncServices;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code vaultsync.v1.VaultSync} service of a server process, which both of its faces
 * serve: the gRPC port ({@link GrpcRpcEndpoint}) and the browser face on the HTTP port (the Connect
 * bridge, {@code io.vaultsync.transport.grpc.connect.ConnectBridge}). It holds the service
 * definition (every call's token checked against the token store), the pool blocking storage work
 * runs on (never a transport's threads), and the calls in progress, whose token, once revoked, has
 * them ended within {@code revocationCheck} (UNAUTHENTICATED {@value GrpcRpcEndpoint#REVOKED}),
 * whichever face they came through.
 */
public final class RpcService implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(RpcService.class);

  private final VaultTransport backend;
  private final TokenStore tokens;
  private final ExecutorService pool;
  private final OpenCalls openCalls = new OpenCalls();
  private final ServerServiceDefinition definition;
  private final RevocationWatch revocations;

  /**
   * The service over {@code backend}, checking tokens with {@code tokens}, staging UploadPart
   * uploads as {@code uploads} says (null: UploadPart is refused).
   *
   * @throws IOException if the staging folder cannot be made
   */
  public RpcService(
      VaultTransport backend, TokenStore tokens, Duration revocationCheck, UploadSettings uploads)
      throws IOException {
    this.backend = Objects.requireNonNull(backend, "backend");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "vaultsync-rpc-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
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
    try {
      this.definition =
          uploads == null
              ? VaultSyncServices.definition(backend, auth, pool, idle, openCalls)
              : VaultSyncServices.definition(backend, auth, pool, idle, openCalls, uploads);
    } catch (IOException | RuntimeException e) {
      pool.shutdownNow();
      throw e;
    }
    this.revocations = new RevocationWatch(revocationCheck, this::endRevoked);
  }

  /** The backend the service serves. */
  public VaultTransport backend() {
    return backend;
  }

  /** The token store that checks every call. */
  public TokenStore tokens() {
    return tokens;
  }

  /** The service, for a gRPC server of either face. */
  public ServerServiceDefinition definition() {
    return definition;
  }

  /** The calls in progress, on both faces. */
  public OpenCalls openCalls() {
    return openCalls;
  }

  /**
   * Ends the open calls of every token the store no longer knows (revoked, possibly by {@code
   * vaultsync server token revoke} in another process). A token the store cannot be asked about
   * right now is left alone until the next check.
   */
  private void endRevoked() {
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
            GrpcRpcEndpoint.REVOKED);
    if (ended > 0) {
      log.info("ended {} open calls of revoked device tokens", ended);
    }
  }

  /** Stops the revocation checks and the pool (after the faces that use it have stopped). */
  @Override
  public void close() {
    revocations.close();
    pool.shutdownNow();
  }
}
