package io.vaultsync.server.http;

import io.vaultsync.transport.grpc.connect.ConnectBridge;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * What the browser face of the protocol on the HTTP port needs ({@link ConnectRoutes}): the bridge
 * to the gRPC service and the origins whose pages may call it (CORS).
 *
 * @param bridge the Connect bridge to the service the gRPC port serves
 * @param corsOrigins the origins allowed to call from a browser: Obsidian's ({@link
 *     #OBSIDIAN_ORIGINS}) and those of {@code --cors-origin}
 */
public record BrowserFace(ConnectBridge bridge, Set<String> corsOrigins) {
  /** Obsidian's origins: desktop, iOS, Android. */
  public static final List<String> OBSIDIAN_ORIGINS =
      List.of("app://obsidian.md", "capacitor://localhost", "http://localhost");

  public BrowserFace {
    Objects.requireNonNull(bridge, "bridge");
    corsOrigins = Set.copyOf(corsOrigins);
  }

  /** Obsidian's origins and {@code extra} ({@code --cors-origin} values, already checked). */
  public static Set<String> origins(List<String> extra) {
    Set<String> all = new LinkedHashSet<>(OBSIDIAN_ORIGINS);
    all.addAll(extra);
    return all;
  }

  /**
   * Checks a {@code --cors-origin} value: exactly {@code scheme://host[:port]}, lower-case scheme
   * and host, no path, no trailing slash, no user, query or fragment.
   *
   * @return the value
   * @throws IllegalArgumentException naming the value and what is expected
   */
  public static String checkOrigin(String text) {
    String expected =
        "; expected an origin, scheme://host[:port] with no path (e.g. https://notes.example.org)";
    URI u;
    try {
      u = new URI(text);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("--cors-origin \"" + text + "\" is not a URL" + expected);
    }
    String scheme = u.getScheme();
    boolean ok =
        scheme != null
            && u.getHost() != null
            && u.getRawUserInfo() == null
            && (u.getRawPath() == null || u.getRawPath().isEmpty())
            && u.getRawQuery() == null
            && u.getRawFragment() == null
            && !text.endsWith("/")
            && text.equals(text.toLowerCase(Locale.ROOT))
            && text.equals(scheme + "://" + u.getRawAuthority());
    if (!ok) {
      throw new IllegalArgumentException("--cors-origin \"" + text + "\"" + expected);
    }
    return text;
  }
}
