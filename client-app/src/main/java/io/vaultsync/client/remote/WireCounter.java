package io.vaultsync.client.remote;

import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.transport.grpc.GrpcVaultTransport;

/**
 * How many bytes a transport moved over the wire, so {@code sync --json} reports real traffic.
 * Counts are totals since the transport was opened.
 */
public interface WireCounter {
  long bytesSent();

  long bytesReceived();

  /**
   * The counter of {@code transport}: the gRPC client's own message counts, a transport that counts
   * itself ({@link CountingTransport}), or zeros for one that cannot tell.
   */
  static WireCounter of(VaultTransport transport) {
    if (transport instanceof WireCounter w) {
      return w;
    }
    if (transport instanceof GrpcVaultTransport g) {
      return new WireCounter() {
        @Override
        public long bytesSent() {
          return g.wireStats().bytesSent();
        }

        @Override
        public long bytesReceived() {
          return g.wireStats().bytesReceived();
        }
      };
    }
    return new WireCounter() {
      @Override
      public long bytesSent() {
        return 0;
      }

      @Override
      public long bytesReceived() {
        return 0;
      }
    };
  }
}
