package io.vaultsync.server.http;

import io.javalin.http.Context;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;

/**
 * The address of the client a request comes from, as the attempt limits and the logs count it.
 * Without trusted proxies ({@link #direct}) it is the connection's peer. Behind trusted proxies
 * ({@link #behind}, {@code vaultsync server --trusted-proxy ADDR,...}), when the peer is one of
 * them, it is the right-most address of {@code X-Forwarded-For} that is not itself a trusted proxy
 * (each proxy appends the address it received the request from, so everything left of that entry
 * may have been written by the client); when every entry is a trusted proxy, the left-most one.
 * From any other peer the header is ignored, so a client cannot pick the address it is counted
 * under. A header that cannot be read (an entry that is not an IP address, more than {@value
 * #MAX_ENTRIES} entries) counts the request under the peer's address, never fails it.
 *
 * <p>{@code Forwarded: for=} (RFC 7239) is deliberately not read: a proxy that sets one of the two
 * headers passes the other through from the client, so reading both would let a client choose.
 * haproxy's {@code option forwardfor} sets {@code X-Forwarded-For}.
 */
public final class ClientAddress {
  /** Most {@code X-Forwarded-For} entries looked at. */
  static final int MAX_ENTRIES = 64;

  private static final ClientAddress DIRECT = new ClientAddress(Set.of());

  private final Set<InetAddress> trusted;

  private ClientAddress(Set<InetAddress> trusted) {
    this.trusted = trusted;
  }

  /** The connection's peer, whatever the headers say. */
  public static ClientAddress direct() {
    return DIRECT;
  }

  /** Forwarded clients of requests whose peer is one of {@code trustedProxies}. */
  public static ClientAddress behind(Collection<InetAddress> trustedProxies) {
    return trustedProxies.isEmpty() ? DIRECT : new ClientAddress(Set.copyOf(trustedProxies));
  }

  /** The trusted proxies (empty: none). */
  public Set<InetAddress> trustedProxies() {
    return trusted;
  }

  /** The client address of the request {@code ctx} (for limits and logs). */
  public String of(Context ctx) {
    String peer = ctx.req().getRemoteAddr();
    if (trusted.isEmpty()) {
      return peer;
    }
    Enumeration<String> headers = ctx.req().getHeaders("X-Forwarded-For");
    List<String> values = new ArrayList<>();
    while (headers != null && headers.hasMoreElements() && values.size() < MAX_ENTRIES) {
      values.add(headers.nextElement());
    }
    return resolve(peer, values);
  }

  /**
   * The client of a request from {@code peer} with these {@code X-Forwarded-For} header values (in
   * the order received).
   */
  String resolve(String peer, List<String> forwardedFor) {
    InetAddress peerAddress = literal(peer);
    if (peerAddress == null || !trusted.contains(peerAddress) || forwardedFor.isEmpty()) {
      return peer;
    }
    List<String> entries = new ArrayList<>();
    for (String value : forwardedFor) {
      for (String entry : value.split(",", MAX_ENTRIES + 1)) {
        entries.add(entry.strip());
        if (entries.size() > MAX_ENTRIES) {
          return peer;
        }
      }
    }
    InetAddress client = null;
    for (int i = entries.size() - 1; i >= 0; i--) {
      client = forwardedEntry(entries.get(i));
      if (client == null) {
        return peer;
      }
      if (!trusted.contains(client)) {
        break;
      }
    }
    return client == null ? peer : client.getHostAddress();
  }

  /**
   * An {@code X-Forwarded-For} entry's address: {@code 192.0.2.1}, {@code 192.0.2.1:5000}, {@code
   * 2001:db8::1}, {@code [2001:db8::1]} or {@code [2001:db8::1]:5000}; null for anything else.
   */
  private static InetAddress forwardedEntry(String entry) {
    if (entry.startsWith("[")) {
      int close = entry.indexOf(']');
      if (close < 0 || !(close == entry.length() - 1 || isPort(entry, close + 1))) {
        return null;
      }
      return literal(entry.substring(0, close + 1));
    }
    int colon = entry.indexOf(':');
    if (colon >= 0 && colon == entry.lastIndexOf(':') && isPort(entry, colon)) {
      return literal(entry.substring(0, colon));
    }
    return literal(entry);
  }

  /** Whether {@code text} from {@code at} is {@code :PORT}. */
  private static boolean isPort(String text, int at) {
    int digits = text.length() - at - 1;
    if (text.charAt(at) != ':' || digits < 1 || digits > 5) {
      return false;
    }
    for (int i = at + 1; i < text.length(); i++) {
      if (text.charAt(i) < '0' || text.charAt(i) > '9') {
        return false;
      }
    }
    return Integer.parseInt(text.substring(at + 1)) <= 65535;
  }

  /**
   * Parses an IP address literal (dotted-quad IPv4, or IPv6 without a zone, brackets allowed),
   * never asking DNS; an IPv4-mapped IPv6 address becomes its IPv4 address.
   *
   * @throws IllegalArgumentException naming {@code text} if it is not one
   */
  public static InetAddress parse(String text) {
    InetAddress a = literal(text);
    if (a == null) {
      throw new IllegalArgumentException(
          "\"" + text + "\" is not an IP address; expected e.g. 10.0.0.5 or fd00::5");
    }
    return a;
  }

  /** The address {@code text} spells, or null if it is not an IP address literal. */
  static InetAddress literal(String text) {
    if (text == null || text.isEmpty() || text.length() > 47) {
      return null;
    }
    if (text.startsWith("[") && text.endsWith("]")) {
      text = text.substring(1, text.length() - 1);
      if (text.indexOf(':') < 0) {
        return null;
      }
    }
    byte[] v4 = ipv4(text);
    if (v4 != null) {
      return byAddress(v4);
    }
    if (text.indexOf(':') < 0) {
      return null; // not IPv6, and never a host name: getByName would ask DNS
    }
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean ok =
          (c >= '0' && c <= '9')
              || (c >= 'a' && c <= 'f')
              || (c >= 'A' && c <= 'F')
              || c == ':'
              || c == '.';
      if (!ok) {
        return null;
      }
    }
    try {
      // In brackets getByName parses an IPv6 literal or fails; it never asks DNS.
      return InetAddress.getByName("[" + text + "]");
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /** The four bytes of a dotted-quad IPv4 address (0-255 each, no leading zeros), or null. */
  private static byte[] ipv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return null;
    }
    byte[] b = new byte[4];
    for (int i = 0; i < 4; i++) {
      String p = parts[i];
      if (p.isEmpty() || p.length() > 3 || (p.length() > 1 && p.charAt(0) == '0')) {
        return null;
      }
      int v = 0;
      for (int j = 0; j < p.length(); j++) {
        char c = p.charAt(j);
        if (c < '0' || c > '9') {
          return null;
        }
        v = v * 10 + (c - '0');
      }
      if (v > 255) {
        return null;
      }
      b[i] = (byte) v;
    }
    return b;
  }

  private static InetAddress byAddress(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("4 bytes are an IPv4 address", e);
    }
  }

  @Override
  public String toString() {
    return trusted.isEmpty() ? "direct peers" : "behind trusted proxies " + trusted;
  }
}
