package io.vaultsync.server.http;

import io.vaultsync.server.app.RpcService;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.UploadSettings;
import io.vaultsync.transport.grpc.connect.ConnectBridge;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/**
 * The browser face as {@code vaultsync server --http} runs it, over an open data folder: one {@link
 * RpcService} (UploadPart staged under the data folder), the {@link ConnectBridge} to it, and the
 * HTTP endpoint on 127.0.0.1 port 0 with every route group. Closing it leaves the data folder open.
 */
public final class BrowserFaceServer implements AutoCloseable {
  public final ServerData data;
  public final RpcService service;
  private final ConnectBridge bridge;
  private final HttpEndpoint.Running http;

  /**
   * How the face serves.
   *
   * @param corsOrigins the {@code --cors-origin} values
   * @param trustedProxies the {@code --trusted-proxy} values
   * @param idleTimeout Jetty's idle timeout
   * @param revocationCheck how often revoked tokens' calls are looked for
   */
  public record Options(
      List<String> corsOrigins,
      List<InetAddress> trustedProxies,
      Duration idleTimeout,
      Duration revocationCheck) {
    public static final Options DEFAULTS =
        new Options(List.of(), List.of(), HttpEndpoint.IDLE_TIMEOUT, Duration.ofSeconds(2));

    public Options withCorsOrigins(String... origins) {
      return new Options(List.of(origins), trustedProxies, idleTimeout, revocationCheck);
    }

    public Options withTrustedProxies(InetAddress... proxies) {
      return new Options(corsOrigins, List.of(proxies), idleTimeout, revocationCheck);
    }

    public Options withIdleTimeout(Duration d) {
      return new Options(corsOrigins, trustedProxies, d, revocationCheck);
    }

    public Options withRevocationCheck(Duration d) {
      return new Options(corsOrigins, trustedProxies, idleTimeout, d);
    }
  }

  private BrowserFaceServer(
      ServerData data, RpcService service, ConnectBridge bridge, HttpEndpoint.Running http) {
    this.data = data;
    this.service = service;
    this.bridge = bridge;
    this.http = http;
  }

  /** Starts the face over {@code data}, which stays the caller's. */
  public static BrowserFaceServer start(ServerData data, long maxFileBytes, Options options)
      throws IOException {
    RpcService service =
        new RpcService(
            data.vaults(),
            data.tokens(),
            options.revocationCheck(),
            UploadSettings.of(data.dir().resolve("tmp").resolve("uploads"), maxFileBytes));
    ConnectBridge bridge = null;
    try {
      bridge = ConnectBridge.start(service.definition());
      HttpServices services =
          new HttpServices(
              data.vaults(),
              ContentReader.of(data.content()),
              new HttpAuth(data.tokens(), HttpState.inMemory(Clock.systemUTC()), false),
              data.shares(),
              ClientAddress.behind(options.trustedProxies()),
              new BrowserFace(bridge, BrowserFace.origins(options.corsOrigins())));
      HttpEndpoint.Running http =
          HttpEndpoint.start(
              new InetSocketAddress("127.0.0.1", 0),
              null,
              services,
              HttpEndpoint.defaultRoutes(),
              options.idleTimeout());
      return new BrowserFaceServer(data, service, bridge, http);
    } catch (IOException | RuntimeException e) {
      if (bridge != null) {
        bridge.close();
      }
      service.close();
      throw e;
    }
  }

  /** The HTTP port. */
  public int port() {
    return http.port();
  }

  /** {@code http://127.0.0.1:PORT}. */
  public String url() {
    return "http://127.0.0.1:" + port();
  }

  @Override
  public void close() {
    http.close();
    bridge.close();
    service.close();
  }
}
