package io.vaultsync.transport.grpc;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.TlsChannelCredentials;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How {@link GrpcVaultTransport#connect} secures its channel. Tokens are bearer secrets, so
 * plaintext is allowed only to a loopback address ({@code localhost}, {@code 127.0.0.0/8}, {@code
 * ::1}: the host is checked as written, never resolved, so DNS cannot turn a name into "loopback")
 * unless the caller says {@link #insecurePlaintext()} explicitly.
 *
 * @param mode the kind of channel
 * @param trustedCa for {@link Mode#TLS}: a PEM file of CA certificates to trust instead of the
 *     system's, or null
 */
public record ChannelSecurity(Mode mode, Path trustedCa) {
  /** Kinds of channel. */
  public enum Mode {
    /** TLS, server certificate checked. */
    TLS,
    /** Plaintext, refused unless the target is a loopback address. */
    LOOPBACK_PLAINTEXT,
    /** Plaintext to any address: the token crosses the network readable. */
    INSECURE_PLAINTEXT
  }

  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

  public ChannelSecurity {
    Objects.requireNonNull(mode, "mode");
    if (trustedCa != null && mode != Mode.TLS) {
      throw new IllegalArgumentException(
          "trusted CA file " + trustedCa + " given for a " + mode + " channel; only TLS uses one");
    }
  }

  /** TLS trusting the system's CAs. */
  public static ChannelSecurity tls() {
    return new ChannelSecurity(Mode.TLS, null);
  }

  /** TLS trusting the CA certificates of a PEM file. */
  public static ChannelSecurity tls(Path trustedCa) {
    return new ChannelSecurity(Mode.TLS, Objects.requireNonNull(trustedCa, "trustedCa"));
  }

  /** Plaintext to a loopback address only. */
  public static ChannelSecurity loopbackPlaintext() {
    return new ChannelSecurity(Mode.LOOPBACK_PLAINTEXT, null);
  }

  /** Plaintext to any address (an explicit opt-in). */
  public static ChannelSecurity insecurePlaintext() {
    return new ChannelSecurity(Mode.INSECURE_PLAINTEXT, null);
  }

  /** The credentials for a channel to {@code target}. */
  ChannelCredentials credentials(String target) throws IOException {
    return switch (mode) {
      case TLS ->
          trustedCa == null
              ? TlsChannelCredentials.create()
              : TlsChannelCredentials.newBuilder().trustManager(trustedCa.toFile()).build();
      case LOOPBACK_PLAINTEXT -> {
        if (!isLoopbackTarget(target)) {
          throw new IllegalArgumentException(
              "plaintext channel to \""
                  + target
                  + "\", which is not a loopback address; use TLS or, knowingly,"
                  + " ChannelSecurity.insecurePlaintext()");
        }
        yield InsecureChannelCredentials.create();
      }
      case INSECURE_PLAINTEXT -> InsecureChannelCredentials.create();
    };
  }

  /**
   * Whether a gRPC target ({@code host:port}, {@code [v6]:port}, optionally {@code dns:///}) names
   * a loopback address as written.
   */
  static boolean isLoopbackTarget(String target) {
    String t = target;
    if (t.startsWith("dns:///")) {
      t = t.substring("dns:///".length());
    }
    String host;
    if (t.startsWith("[")) {
      int end = t.indexOf(']');
      if (end < 0) {
        return false;
      }
      host = t.substring(1, end);
    } else {
      int colon = t.lastIndexOf(':');
      host = colon < 0 ? t : t.substring(0, colon);
      if (host.contains(":")) {
        return false; // an unbracketed IPv6 address with a port is ambiguous
      }
    }
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    if (!IPV4.matcher(host).matches() && !host.contains(":")) {
      return false; // a name: never resolved here
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress(); // a literal: no lookup
    } catch (UnknownHostException e) {
      return false;
    }
  }
}
