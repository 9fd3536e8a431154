package io.vaultsync.server.app;

import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.net.TlsFiles;
import io.vaultsync.transport.grpc.UploadSettings;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The network face of the server: serves a {@link VaultTransport} backend to clients, checking
 * every call's token with a {@link TokenStore}. The gRPC implementation lives in (or is wired from)
 * transport-grpc; {@link ServerCommand} finds it with {@link java.util.ServiceLoader}.
 */
public interface RpcEndpoint {
  /** A running endpoint. */
  interface Running extends AutoCloseable {
    /** The port actually bound (useful when asked for port 0). */
    int port();

    /** Stops accepting calls and releases the port. */
    @Override
    void close() throws IOException;
  }

  /**
   * Binds {@code listen} and starts serving.
   *
   * @param tls certificate and key to serve TLS with, or null for plaintext (the command allows
   *     that only on a loopback address unless the user insisted)
   */
  Running start(InetSocketAddress listen, VaultTransport backend, TokenStore tokens, TlsFiles tls)
      throws IOException;

  /**
   * The service this endpoint serves, over {@code backend}, which the HTTP port's browser face
   * serves too, staging UploadPart uploads as {@code uploads} says (null: refused); the caller
   * closes it after both faces.
   */
  default RpcService service(VaultTransport backend, TokenStore tokens, UploadSettings uploads)
      throws IOException {
    return new RpcService(backend, tokens, ConnectionLimits.DEFAULTS.revocationCheck(), uploads);
  }

  /**
   * Binds {@code listen} and serves {@code service} (which the caller closes after this endpoint).
   * By default the endpoint serves its own over the service's backend and tokens.
   */
  default Running start(InetSocketAddress listen, RpcService service, TlsFiles tls)
      throws IOException {
    return start(listen, service.backend(), service.tokens(), tls);
  }
}
