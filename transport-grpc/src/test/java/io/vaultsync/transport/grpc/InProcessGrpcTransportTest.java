package io.vaultsync.transport.grpc;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;

/** The transport contract over gRPC's in-process transport. */
class InProcessGrpcTransportTest extends GrpcTransportContract {
  private String name;

  @Override
  Server startServer(ServerServiceDefinition service) throws IOException {
    name = InProcessServerBuilder.generateName();
    return VaultSyncServices.configure(InProcessServerBuilder.forName(name))
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
  boolean enforcesMessageSizes() {
    return false;
  }

  @Override
  boolean compresses() {
    return false;
  }
}
