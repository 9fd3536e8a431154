package io.vaultsync.transport.grpc.connect;

import io.grpc.Metadata;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * gRPC trailers as Connect unary response headers and back: every trailer whose key does not start
 * with {@code grpc-} travels as the header {@code trailer-<key>}; a {@code -bin} value in padded
 * standard base64; several values of one {@code -bin} key joined with {@code ", "} (an ASCII key is
 * sent once per value). So a browser client reads exactly the values a gRPC client reads ({@code
 * vaultsync-current-bin} on a stale push, {@code vaultsync-mass-delete}, {@code
 * vaultsync-limit-bin}, ...).
 */
public final class ConnectTrailers {
  /** The prefix of a trailer's header name. */
  public static final String PREFIX = "trailer-";

  /** The trailers the service sets, as headers a browser must be allowed to read (CORS). */
  public static final List<String> EXPOSED =
      List.of(
          PREFIX + "vaultsync-current-bin",
          PREFIX + "vaultsync-mass-delete",
          PREFIX + "vaultsync-limit-bin",
          PREFIX + "vaultsync-refused-bin",
          PREFIX + "vaultsync-storage");

  /** Most trailer headers read from one response. */
  static final int MAX_HEADERS = 64;

  private ConnectTrailers() {}

  /** The headers that carry {@code trailers} (null: none): name to its values, in order. */
  public static Map<String, List<String>> toHeaders(Metadata trailers) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (trailers == null) {
      return out;
    }
    for (String key : trailers.keys()) {
      if (key.startsWith("grpc-") || key.startsWith(":")) {
        continue;
      }
      List<String> values = new ArrayList<>();
      if (key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
        for (byte[] v : trailers.getAll(Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER))) {
          values.add(Base64.getEncoder().encodeToString(v));
        }
      } else {
        for (String v : trailers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
          values.add(v);
        }
      }
      if (!values.isEmpty()) {
        boolean binary = key.endsWith(Metadata.BINARY_HEADER_SUFFIX);
        out.put(PREFIX + key, binary ? List.of(String.join(", ", values)) : values);
      }
    }
    return out;
  }

  /**
   * The trailers that the {@code trailer-*} headers among {@code headers} carry. A value that is
   * not base64 where it must be, or a key gRPC would refuse, is left out.
   */
  public static Metadata fromHeaders(Map<String, List<String>> headers) {
    Metadata out = new Metadata();
    int n = 0;
    for (Map.Entry<String, List<String>> h : headers.entrySet()) {
      String name = h.getKey().toLowerCase(Locale.ROOT);
      if (!name.startsWith(PREFIX) || ++n > MAX_HEADERS) {
        continue;
      }
      String key = name.substring(PREFIX.length());
      try {
        for (String value : h.getValue()) {
          if (!key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
            out.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
            continue;
          }
          for (String one : value.split(",")) {
            out.put(
                Metadata.Key.of(key, Metadata.BINARY_BYTE_MARSHALLER),
                Base64.getDecoder().decode(one.strip()));
          }
        }
      } catch (IllegalArgumentException e) {
        // not ours to read: leave it out
      }
    }
    return out;
  }
}
