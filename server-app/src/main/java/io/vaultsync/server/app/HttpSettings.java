package io.vaultsync.server.app;

import io.vaultsync.server.http.ClientAddress;
import io.vaultsync.server.net.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * How the HTTP endpoint runs ({@code --http ADDR [--public-url URL] [--trusted-proxy ADDR,...]}).
 *
 * @param listen address and port to serve HTTP on
 * @param tls whether it serves TLS (with the gRPC listener's certificate and key)
 * @param publicUrl the base URL share links use, or null for {@code http(s)://ADDR:PORT}
 * @param trustedProxies the reverse proxies whose {@code X-Forwarded-For} names the client (for
 *     attempt limits and logs); empty: none, the connection's peer is the client
 * @param corsOrigins the {@code --cors-origin} values: origins whose pages may call the browser
 *     face, besides Obsidian's
 */
public record HttpSettings(
    InetSocketAddress listen,
    boolean tls,
    URI publicUrl,
    List<InetAddress> trustedProxies,
    List<String> corsOrigins) {
  /** The default HTTP port. */
  public static final int DEFAULT_PORT = 7421;

  public HttpSettings {
    Objects.requireNonNull(listen, "listen");
    trustedProxies = List.copyOf(trustedProxies);
    corsOrigins = List.copyOf(corsOrigins);
  }

  /**
   * These settings with the {@code --cors-origin} values (each {@code scheme://host[:port]}), whose
   * pages may call the browser face besides Obsidian's own origins.
   *
   * @throws IllegalArgumentException naming the first value that is not an origin
   */
  public HttpSettings withCorsOrigins(List<String> origins) {
    List<String> checked = new ArrayList<>();
    for (String o : origins) {
      checked.add(io.vaultsync.server.http.BrowserFace.checkOrigin(o.strip()));
    }
    return new HttpSettings(listen, tls, publicUrl, trustedProxies, checked);
  }

  /**
   * Parses and checks {@code --http} and {@code --public-url}: plaintext only on a loopback address
   * unless {@code insecure}, as for the gRPC listener.
   */
  public static HttpSettings of(String http, String publicUrl, TlsFiles tls, boolean insecure) {
    return of(http, publicUrl, List.of(), tls, insecure);
  }

  /**
   * As {@link #of(String, String, TlsFiles, boolean)}, with the {@code --trusted-proxy} values
   * (each an IP address).
   *
   * @throws IllegalArgumentException naming the first value that is not an IP address
   */
  public static HttpSettings of(
      String http, String publicUrl, List<String> trustedProxies, TlsFiles tls, boolean insecure) {
    List<InetAddress> proxies = new ArrayList<>();
    for (String text : trustedProxies) {
      try {
        proxies.add(ClientAddress.parse(text.strip()));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("--trusted-proxy " + e.getMessage(), e);
      }
    }
    InetSocketAddress listen = ServerConfig.parseListen(withDefaultPort(http));
    if (tls == null && !listen.getAddress().isLoopbackAddress() && !insecure) {
      throw new IllegalArgumentException(
          "refusing to serve plaintext HTTP on "
              + listen.getAddress().getHostAddress()
              + ", which is not a loopback address: tokens and notes would cross the network"
              + " unencrypted. Give --tls-cert and --tls-key, or --insecure if a trusted tunnel"
              + " or proxy encrypts the traffic");
    }
    return new HttpSettings(
        listen, tls != null, publicUrl == null ? null : parseUrl(publicUrl), proxies, List.of());
  }

  /** {@code text} with {@value #DEFAULT_PORT} appended when it names no port. */
  private static String withDefaultPort(String text) {
    if (text.startsWith("[")) {
      return text.contains("]:") ? text : text + ":" + DEFAULT_PORT;
    }
    int colons = (int) text.chars().filter(c -> c == ':').count();
    if (colons == 0) {
      return text + ":" + DEFAULT_PORT;
    }
    return colons == 1 ? text : "[" + text + "]:" + DEFAULT_PORT; // a bare IPv6 address
  }

  /** The base URL for links, given the port actually bound. */
  public URI publicUrl(int boundPort) {
    if (publicUrl != null) {
      return publicUrl;
    }
    String host = listen.getAddress().getHostAddress();
    if (host.indexOf(':') >= 0) {
      host = "[" + host + "]";
    }
    return URI.create((tls ? "https://" : "http://") + host + ":" + boundPort);
  }

  private static URI parseUrl(String text) {
    try {
      URI u = new URI(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme()))
          || u.getHost() == null
          || u.getQuery() != null
          || u.getFragment() != null) {
        throw new IllegalArgumentException(
            "--public-url \"" + text + "\"; expected http(s)://HOST[:PORT][/PATH]");
      }
      return u;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "--public-url \"" + text + "\" is not a URL; expected http(s)://HOST[:PORT][/PATH]");
    }
  }
}
