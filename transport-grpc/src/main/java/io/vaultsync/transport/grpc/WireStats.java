package io.vaultsync.transport.grpc;

/**
 * Bytes a {@link GrpcVaultTransport} has moved, for the {@code --json} statistics of a sync. Counts
 * each gRPC message as it crosses the wire (after any compression) plus the 5-byte gRPC message
 * prefix; HTTP/2 frame headers, HTTP headers (the token, paths of methods), TLS records and TCP are
 * not included. Monotonic; safe to read from any thread.
 */
public interface WireStats {
  /** Bytes of messages sent to the server. */
  long bytesSent();

  /** Bytes of messages received from the server. */
  long bytesReceived();
}
