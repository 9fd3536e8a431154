package io.vaultsync.server.app;

import io.vaultsync.server.net.TlsFiles;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * How {@code vaultsync server} runs.
 *
 * @param data the data folder (database, store, vault folders)
 * @param listen address and port to serve on
 * @param tls certificate and key, or null for plaintext
 * @param insecure whether plaintext on a non-loopback address was explicitly allowed
 */
public record ServerConfig(Path data, InetSocketAddress listen, TlsFiles tls, boolean insecure) {
  /** The default port. */
  public static final int DEFAULT_PORT = 7420;

  public ServerConfig {
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(listen, "listen");
    if (listen.isUnresolved()) {
      throw new IllegalArgumentException("listen address " + listen + " does not resolve");
    }
    if (tls == null && !listen.getAddress().isLoopbackAddress() && !insecure) {
      throw new IllegalArgumentException(
          "refusing to serve plaintext on "
              + listen.getAddress().getHostAddress()
              + ", which is not a loopback address: tokens and notes would cross the network"
              + " unencrypted. Give --tls-cert and --tls-key, or --insecure if a trusted tunnel"
              + " or proxy encrypts the traffic");
    }
  }

  /**
   * Parses {@code HOST:PORT}, {@code [IPv6]:PORT} or {@code HOST} (port {@value #DEFAULT_PORT}).
   */
  public static InetSocketAddress parseListen(String text) {
    Objects.requireNonNull(text, "listen");
    String host = text;
    int port = DEFAULT_PORT;
    if (text.startsWith("[")) {
      int close = text.indexOf(']');
      if (close < 0) {
        throw new IllegalArgumentException("listen address \"" + text + "\" lacks ']'");
      }
      host = text.substring(1, close);
      if (close + 1 < text.length()) {
        if (text.charAt(close + 1) != ':') {
          throw new IllegalArgumentException(
              "listen address \"" + text + "\"; expected [IPv6]:PORT");
        }
        port = parsePort(text, text.substring(close + 2));
      }
    } else if (text.indexOf(':') >= 0 && text.indexOf(':') == text.lastIndexOf(':')) {
      host = text.substring(0, text.indexOf(':'));
      port = parsePort(text, text.substring(text.indexOf(':') + 1));
    }
    try {
      return new InetSocketAddress(InetAddress.getByName(host), port);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("listen host \"" + host + "\" does not resolve");
    }
  }

  private static int parsePort(String text, String port) {
    try {
      int p = Integer.parseInt(port);
      if (p >= 0 && p <= 65535) {
        return p;
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException(
        "port \"" + port + "\" in listen address \"" + text + "\"; expected 0 to 65535");
  }
}
