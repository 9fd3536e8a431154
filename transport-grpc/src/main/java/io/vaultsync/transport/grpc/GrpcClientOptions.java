package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GrpcVaultTransport} calls: every call is bounded in time, one way or another.
 *
 * @param unaryDeadline deadline of each one-message call (ListVaults, ChangesSince, each Commit
 *     call: a Commit also gets one second per {@value #MIN_UPLOAD_BYTES_PER_SECOND} bytes it
 *     carries, so a 7 MiB batch on a slow uplink is not cut), and of the answer to a push once its
 *     last chunk is sent
 * @param stallTimeout how long a streaming call (GetManifest and the other listings, Fetch,
 *     FetchMany, Push) may go without progress while the client waits on the server: no message
 *     received, or no room to send the next chunk; then the call is cancelled and fails with {@link
 *     io.vaultsync.protocol.RemoteStalledException}. A stream has no total deadline: a large
 *     download that keeps moving is never cut. Subscribe is idle by nature and relies on the
 *     keepalive instead
 * @param keepAliveTime how long a connection with calls open may go without receiving anything
 *     before the client pings the server (gRPC raises values under 10 s to 10 s); the server must
 *     permit pings this often ({@link #MIN_KEEPALIVE_TIME}: vaultsync's server permits them)
 * @param keepAliveTimeout how long the ping's answer may take before the connection is taken for
 *     dead and its calls fail
 * @param retry which failures are retried, how often and how long (see {@link RetryPolicy})
 * @param maxInboundMessageSize largest message accepted from the server
 */
public record GrpcClientOptions(
    Duration unaryDeadline,
    Duration stallTimeout,
    Duration keepAliveTime,
    Duration keepAliveTimeout,
    RetryPolicy retry,
    int maxInboundMessageSize) {
  /** The shortest keepalive interval gRPC's client uses, and the one the server permits. */
  public static final Duration MIN_KEEPALIVE_TIME = Duration.ofSeconds(10);

  /** The upload rate a Commit's deadline assumes at least (64 KiB/s). */
  public static final int MIN_UPLOAD_BYTES_PER_SECOND = 64 * 1024;

  /**
   * 60 s per unary call, 30 s of stall per stream, a keepalive ping after 30 s of silence answered
   * within 10 s, {@link RetryPolicy#DEFAULTS}, 8 MiB messages.
   */
  public static final GrpcClientOptions DEFAULTS =
      new GrpcClientOptions(
          Duration.ofSeconds(60),
          Duration.ofSeconds(30),
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          RetryPolicy.DEFAULTS,
          Limits.MESSAGE_BYTES);

  public GrpcClientOptions {
    positive(unaryDeadline, "unary deadline");
    positive(stallTimeout, "stall timeout");
    positive(keepAliveTime, "keepalive time");
    positive(keepAliveTimeout, "keepalive timeout");
    Objects.requireNonNull(retry, "retry");
    if (maxInboundMessageSize < Limits.CHUNK_BYTES + 1024) {
      throw new IllegalArgumentException(
          "max inbound message size "
              + maxInboundMessageSize
              + "; expected at least "
              + (Limits.CHUNK_BYTES + 1024)
              + " (a 1 MiB chunk and its framing)");
    }
  }

  private static void positive(Duration d, String what) {
    Objects.requireNonNull(d, what);
    if (d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException(what + " " + d + "; expected a positive duration");
    }
  }

  public GrpcClientOptions withUnaryDeadline(Duration d) {
    return new GrpcClientOptions(
        d, stallTimeout, keepAliveTime, keepAliveTimeout, retry, maxInboundMessageSize);
  }

  public GrpcClientOptions withStallTimeout(Duration d) {
    return new GrpcClientOptions(
        unaryDeadline, d, keepAliveTime, keepAliveTimeout, retry, maxInboundMessageSize);
  }

  public GrpcClientOptions withKeepAlive(Duration time, Duration timeout) {
    return new GrpcClientOptions(
        unaryDeadline, stallTimeout, time, timeout, retry, maxInboundMessageSize);
  }

  public GrpcClientOptions withRetry(RetryPolicy r) {
    return new GrpcClientOptions(
        unaryDeadline, stallTimeout, keepAliveTime, keepAliveTimeout, r, maxInboundMessageSize);
  }

  /** The deadline of a Commit call carrying {@code bytes}: see {@link #unaryDeadline}. */
  Duration commitDeadline(long bytes) {
    return unaryDeadline.plusSeconds(Math.max(0, bytes) / MIN_UPLOAD_BYTES_PER_SECOND);
  }
}
