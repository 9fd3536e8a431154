package io.vaultsync.client.grpc;

import io.vaultsync.client.remote.RemoteConnector;
import io.vaultsync.client.remote.WireCounter;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import io.vaultsync.transport.grpc.WireStats;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Connects to a vaultsync server over gRPC. Server URLs:
 *
 * <ul>
 *   <li>{@code http://HOST[:PORT]}: plaintext, only to a loopback address (127.0.0.0/8, ::1,
 *       localhost) unless the environment variable {@code VAULTSYNC_INSECURE=1} says the user
 *       insists;
 *   <li>{@code https://HOST[:PORT]}: TLS, trusting the system's CAs, or the PEM file named by
 *       {@code VAULTSYNC_CA} (for a self-signed server certificate).
 * </ul>
 *
 * The port defaults to {@value #DEFAULT_PORT}. The transport it returns counts the bytes of the
 * gRPC messages it sends and receives ({@link WireCounter#of}). This is the connector the CLI uses;
 * an app that embeds sync-client adds this module to reach a server over the network.
 */
public final class GrpcConnector implements RemoteConnector {
  public static final int DEFAULT_PORT = 7420;

  private final GrpcClientOptions options;

  /** A connector whose transports call with {@link GrpcClientOptions#DEFAULTS}. */
  public GrpcConnector() {
    this(GrpcClientOptions.DEFAULTS);
  }

  /** A connector whose transports call with {@code options} (tests: short stall timeouts). */
  public GrpcConnector(GrpcClientOptions options) {
    this.options = java.util.Objects.requireNonNull(options, "options");
  }

  @Override
  public VaultTransport connect(URI server, String token) throws IOException {
    String scheme = server.getScheme() == null ? "" : server.getScheme();
    String host = server.getHost();
    if (host == null || host.isEmpty()) {
      throw new IllegalArgumentException(
          "server URL \""
              + server
              + "\" has no host; expected http://HOST:PORT or https://HOST:PORT");
    }
    int port = server.getPort() < 0 ? DEFAULT_PORT : server.getPort();
    String target =
        (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    ChannelSecurity security =
        switch (scheme) {
          case "http" ->
              "1".equals(System.getenv("VAULTSYNC_INSECURE"))
                  ? ChannelSecurity.insecurePlaintext()
                  : ChannelSecurity.loopbackPlaintext();
          case "https" -> {
            String ca = System.getenv("VAULTSYNC_CA");
            yield ca == null || ca.isEmpty()
                ? ChannelSecurity.tls()
                : ChannelSecurity.tls(Path.of(ca));
          }
          default ->
              throw new IllegalArgumentException(
                  "server URL \""
                      + server
                      + "\" has scheme \""
                      + scheme
                      + "\"; expected http or https");
        };
    GrpcVaultTransport transport = GrpcVaultTransport.connect(target, token, security, options);
    WireStats stats = transport.wireStats();
    return WireCounter.attach(
        transport,
        new WireCounter() {
          @Override
          public long bytesSent() {
            return stats.bytesSent();
          }

          @Override
          public long bytesReceived() {
            return stats.bytesReceived();
          }
        });
  }
}
