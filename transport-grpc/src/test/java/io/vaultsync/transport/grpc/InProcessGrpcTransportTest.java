package io.vaultsync.transport.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** The transport contract over gRPC's in-process transport. */
class InProcessGrpcTransportTest extends GrpcTransportContract {
  private String name;
  private Server server;

  @Override
  void startServer(ServerServiceDefinition service) throws IOException {
    name = InProcessServerBuilder.generateName();
    server =
        VaultSyncServices.configure(InProcessServerBuilder.forName(name))
            .addService(service)
            .build()
            .start();
  }

  @Override
  ManagedChannel newChannel() {
    return InProcessChannelBuilder.forName(name)
        .maxInboundMessageSize(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE)
        .build();
  }

  @Override
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  @Override
  boolean enforcesMessageSizes() {
    return false;
  }
}
