package io.vaultsync.transport.grpc;

/**
 * Bytes a {@link GrpcVaultTransport} has moved, for the {@code --json} statistics of a sync. Counts
 * each gRPC message as it crossed the wire (compressed with zstd or gzip when the call was) plus
 * its 5-byte gRPC prefix; HTTP/2 frame headers, HTTP headers (the token, method names), TLS records
 * and TCP are not included. Over a transport that reports no wire sizes (in-process) a message
 * counts its serialized size. A sent message counts even if the call then fails. Monotonic; safe to
 * read from any thread.
 */
public interface WireStats {
  /** Bytes of messages sent to the server. */
  long bytesSent();

  /** Bytes of messages received from the server. */
  long bytesReceived();
}
