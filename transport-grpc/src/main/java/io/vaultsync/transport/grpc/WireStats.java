package io.vaultsync.transport.grpc;

/**
 * Bytes a {@link GrpcVaultTransport} has moved, for the {@code --json} statistics of a sync. Counts
 * each gRPC message's serialized size plus its 5-byte gRPC prefix (messages are not compressed by
 * gRPC: deltas are LZ4-compressed already); HTTP/2 frame headers, HTTP headers (the token, method
 * names), TLS records and TCP are not included. A sent message counts even if the call then fails.
 * Monotonic; safe to read from any thread.
 */
public interface WireStats {
  /** Bytes of messages sent to the server. */
  long bytesSent();

  /** Bytes of messages received from the server. */
  long bytesReceived();
}
