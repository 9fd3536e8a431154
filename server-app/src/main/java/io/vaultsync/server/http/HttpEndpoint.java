package io.vaultsync.server.http;

import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.vaultsync.server.net.ListenException;
import io.vaultsync.server.net.TlsFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.ServiceLoader;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The server's HTTP face ({@code vaultsync server --http 127.0.0.1:7421}): Javalin on Jetty, in the
 * same process as the gRPC listener. Every response gets the {@link SecurityHeaders}; every
 * exception becomes a short plain-text 4xx/5xx ({@link HttpErrors}); {@link LoginRoutes} are always
 * there; the other routes come from {@link HttpRoutes} groups ({@link #defaultRoutes()}: those
 * listed for {@link ServiceLoader}). Plaintext or TLS with the gRPC listener's PEM files.
 */
public final class HttpEndpoint {
  /** Largest request body accepted (forms only: logins, share passwords). */
  public static final long MAX_REQUEST_BYTES = 64 * 1024;

  /** How long a connection may send nothing (Jetty's default). */
  public static final java.time.Duration IDLE_TIMEOUT = java.time.Duration.ofSeconds(30);

  private HttpEndpoint() {}

  /** A running endpoint. */
  public interface Running extends AutoCloseable {
    /** The port actually bound (useful when asked for port 0). */
    int port();

    /** Stops serving and releases the port. */
    @Override
    void close();
  }

  /** The route groups registered for {@link ServiceLoader}, in the order listed. */
  public static List<HttpRoutes> defaultRoutes() {
    List<HttpRoutes> all = new ArrayList<>();
    ServiceLoader.load(HttpRoutes.class, HttpEndpoint.class.getClassLoader()).forEach(all::add);
    return all;
  }

  /**
   * Binds {@code listen} and starts serving {@code routes} (plus the login routes).
   *
   * @param tls certificate and key to serve TLS with, or null for plaintext (the command allows
   *     that only on a loopback address unless the user insisted)
   */
  public static Running start(
      InetSocketAddress listen, TlsFiles tls, HttpServices services, List<HttpRoutes> routes)
      throws IOException {
    return start(listen, tls, services, routes, IDLE_TIMEOUT);
  }

  /**
   * As {@link #start(InetSocketAddress, TlsFiles, HttpServices, List)}, closing a connection that
   * sends nothing for {@code idleTimeout} (tests use a short one; a browser-face call raises its
   * own connection's for as long as the call may take).
   */
  public static Running start(
      InetSocketAddress listen,
      TlsFiles tls,
      HttpServices services,
      List<HttpRoutes> routes,
      java.time.Duration idleTimeout)
      throws IOException {
    Objects.requireNonNull(listen, "listen");
    Objects.requireNonNull(services, "services");
    List<HttpRoutes> groups = new ArrayList<>();
    groups.add(new LoginRoutes());
    groups.addAll(routes);
    SslContextFactory.Server ssl = tls == null ? null : sslContext(tls);
    Javalin app =
        Javalin.create(
            config -> {
              configure(config, listen, ssl);
              config.routes.before(SecurityHeaders::apply);
              config.routes.before(HttpEndpoint::refuseHead);
              config.routes.before(PercentEncoding::refuseMalformed);
              HttpErrors.install(config.routes);
              for (HttpRoutes group : groups) {
                group.register(config.routes, services);
              }
            });
    try {
      app.start();
      for (org.eclipse.jetty.server.Connector c : app.jettyServer().server().getConnectors()) {
        if (c instanceof org.eclipse.jetty.server.AbstractConnector connector) {
          connector.setIdleTimeout(idleTimeout.toMillis());
        }
      }
    } catch (RuntimeException e) {
      app.stop();
      if (e instanceof io.javalin.util.JavalinBindException || ListenException.isBindFailure(e)) {
        throw new ListenException("HTTP", listen, "--http", e);
      }
      throw new IOException(
          "cannot serve HTTP on " + listen.getAddress().getHostAddress() + ":" + listen.getPort(),
          e);
    }
    return new Running() {
      @Override
      public int port() {
        return app.port();
      }

      @Override
      public void close() {
        app.stop();
      }
    };
  }

  private static void configure(
      JavalinConfig config, InetSocketAddress listen, SslContextFactory.Server ssl) {
    config.startup.showJavalinBanner = false;
    config.startup.showOldJavalinVersionWarning = false;
    config.http.maxRequestSize = MAX_REQUEST_BYTES;
    config.http.generateEtags = false;
    String host = listen.getAddress().getHostAddress();
    config.jetty.host = host;
    config.jetty.port = listen.getPort();
    config.jetty.modifyServer(HttpEndpoint::quietErrors);
    if (ssl != null) {
      config.jetty.addConnector(
          (server, httpConfig) -> {
            SecureRequestCustomizer secure = new SecureRequestCustomizer();
            // The certificate may name a host other than the one a client dialled (127.0.0.1).
            secure.setSniHostCheck(false);
            httpConfig.addCustomizer(secure);
            ServerConnector connector =
                new ServerConnector(
                    server,
                    new SslConnectionFactory(ssl, "http/1.1"),
                    new HttpConnectionFactory(httpConfig));
            connector.setHost(host);
            connector.setPort(listen.getPort());
            return connector;
          });
    }
  }

  /**
   * Javalin answers HEAD for every GET route with an empty 200 without running the route (so
   * without its authentication or 404s); refuse HEAD instead of answering it differently from GET.
   */
  private static void refuseHead(io.javalin.http.Context ctx) {
    if (ctx.method() == io.javalin.http.HandlerType.HEAD) {
      ctx.header("Allow", "GET, POST");
      throw new io.javalin.http.MethodNotAllowedResponse("HEAD is not supported here; use GET");
    }
  }

  /** Jetty's own error pages (a malformed request never reaching Javalin) show no stack trace. */
  private static void quietErrors(Server server) {
    server.setErrorHandler(new JettyErrors());
  }

  private static SslContextFactory.Server sslContext(TlsFiles tls) throws IOException {
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    ssl.setKeyStore(PemKeyStore.load(tls.certificate(), tls.privateKey()));
    ssl.setKeyStorePassword(new String(PemKeyStore.PASSWORD));
    return ssl;
  }
}
