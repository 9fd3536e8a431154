package io.vaultsync.client.remote;

/**
 * Implemented by a transport that can tell how many bytes it moved over the wire, so {@code sync
 * --json} reports real traffic. Counts are totals since the transport was opened.
 */
public interface WireCounter {
  long bytesSent();

  long bytesReceived();
}
