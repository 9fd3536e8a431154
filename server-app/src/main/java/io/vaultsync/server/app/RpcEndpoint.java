package io.vaultsync.server.app;

import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.auth.TokenStore;
import io.vaultsync.server.net.TlsFiles;
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
   * As {@link #start(InetSocketAddress, VaultTransport, TokenStore, TlsFiles)}, staging the parts
   * of uploads made in unary calls (UploadPart, for clients that cannot stream) under {@code
   * uploadFolder}, each delta bounded by {@code maxFileBytes} (the server's largest file) as a push
   * is. This default takes no such uploads.
   */
  default Running start(
      InetSocketAddress listen,
      VaultTransport backend,
      TokenStore tokens,
      TlsFiles tls,
      java.nio.file.Path uploadFolder,
      long maxFileBytes)
      throws IOException {
    return start(listen, backend, tokens, tls);
  }
}
