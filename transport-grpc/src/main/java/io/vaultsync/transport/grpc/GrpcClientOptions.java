package io.vaultsync.transport.grpc;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link GrpcVaultTransport} calls.
 *
 * @param unaryDeadline deadline of each one-message call (CreateVault, ListVaults, ChangesSince,
 *     each Commit call)
 * @param streamDeadline deadline of each streaming call (GetManifest, Fetch, Push), whose size is
 *     not known up front: a generous fixed value rather than one proportional to size
 * @param maxInboundMessageSize largest message accepted from the server
 */
public record GrpcClientOptions(
    Duration unaryDeadline, Duration streamDeadline, int maxInboundMessageSize) {
  /** 30 s per unary call, 10 minutes per stream, 8 MiB messages. */
  public static final GrpcClientOptions DEFAULTS =
      new GrpcClientOptions(
          Duration.ofSeconds(30), Duration.ofMinutes(10), WireLimits.MAX_INBOUND_MESSAGE_BYTES);

  public GrpcClientOptions {
    Objects.requireNonNull(unaryDeadline, "unaryDeadline");
    Objects.requireNonNull(streamDeadline, "streamDeadline");
    if (unaryDeadline.isNegative() || unaryDeadline.isZero()) {
      throw new IllegalArgumentException(
          "unary deadline " + unaryDeadline + "; expected a positive duration");
    }
    if (streamDeadline.isNegative() || streamDeadline.isZero()) {
      throw new IllegalArgumentException(
          "stream deadline " + streamDeadline + "; expected a positive duration");
    }
    if (maxInboundMessageSize < WireLimits.MAX_CHUNK_BYTES + 1024) {
      throw new IllegalArgumentException(
          "max inbound message size "
              + maxInboundMessageSize
              + "; expected at least "
              + (WireLimits.MAX_CHUNK_BYTES + 1024)
              + " (a 1 MiB chunk and its framing)");
    }
  }

  public GrpcClientOptions withUnaryDeadline(Duration d) {
    return new GrpcClientOptions(d, streamDeadline, maxInboundMessageSize);
  }

  public GrpcClientOptions withStreamDeadline(Duration d) {
    return new GrpcClientOptions(unaryDeadline, d, maxInboundMessageSize);
  }
}
