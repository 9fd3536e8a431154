package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.io.IOException;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** The transport contract over a real Netty server on 127.0.0.1, port 0. */
class NettyGrpcTransportTest extends GrpcTransportContract {

  @Override
  Server startServer(ServerServiceDefinition service) throws IOException {
    return VaultSyncServices.configure(
            NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
        .addService(service)
        .build()
        .start();
  }

  @Override
  ManagedChannel newChannel() {
    return NettyChannelBuilder.forAddress("127.0.0.1", server.getPort())
        .usePlaintext()
        .maxInboundMessageSize(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE)
        .build();
  }

  @Override
  boolean enforcesMessageSizes() {
    return true;
  }

  @Test
  void connectOwnsItsLoopbackChannel() throws IOException {
    try (GrpcVaultTransport own =
        GrpcVaultTransport.connect(
            "127.0.0.1:" + server.getPort(),
            TOKEN,
            ChannelSecurity.loopbackPlaintext(),
            GrpcClientOptions.DEFAULTS)) {
      own.createVault(VAULT);
      assertThat(own.listVaults()).hasSize(1);
      assertThat(own.wireStats().bytesSent()).isPositive();
      assertThat(own.wireStats().bytesReceived()).isPositive();
    }
  }
}
