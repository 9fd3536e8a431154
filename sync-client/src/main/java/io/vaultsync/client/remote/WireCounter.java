package io.vaultsync.client.remote;

import io.vaultsync.protocol.VaultTransport;
import java.util.Objects;

/**
 * How many bytes a transport moved over the wire, so {@code sync --json} reports real traffic.
 * Counts are totals since the transport was opened.
 */
public interface WireCounter {
  /** A counter for transports that cannot tell: always zero. */
  WireCounter NONE =
      new WireCounter() {
        @Override
        public long bytesSent() {
          return 0;
        }

        @Override
        public long bytesReceived() {
          return 0;
        }
      };

  long bytesSent();

  long bytesReceived();

  /**
   * The counter of {@code transport}: the transport itself when it counts ({@link
   * CountingTransport}, or one made by {@link #attach}), else {@link #NONE}.
   */
  static WireCounter of(VaultTransport transport) {
    return transport instanceof WireCounter w ? w : NONE;
  }

  /**
   * {@code transport}, also answering {@link #of} with {@code counter}: how a connector whose
   * transport keeps its own byte counts (the gRPC client's message sizes) hands them to the sync
   * without this library knowing that transport. The result implements every interface {@code
   * transport} implements and forwards every call to it, exceptions unchanged.
   */
  static VaultTransport attach(VaultTransport transport, WireCounter counter) {
    Objects.requireNonNull(transport, "transport");
    return TransportProxy.forward(transport, Objects.requireNonNull(counter, "counter"), true);
  }
}
