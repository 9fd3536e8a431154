package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import io.vaultsync.transport.grpc.connect.ConnectBridge;
import io.vaultsync.transport.grpc.connect.ConnectResponse;
import io.vaultsync.transport.grpc.connect.ConnectTrailers;
import io.vaultsync.transport.grpc.v1.ListVaultsRequest;
import io.vaultsync.transport.grpc.v1.VaultSyncGrpc;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * The client address a call of the service carries ({@link ClientAddresses#current()}): the peer on
 * the gRPC port, whatever header a caller sends; the browser's through the Connect bridge.
 */
class ClientAddressesTest {
  private static final String TOKEN = "token-of-laptop-0123456789";

  private final List<String> seen = new CopyOnWriteArrayList<>();

  /** The service, recording the client address of every call. */
  private ServerServiceDefinition service() {
    ServerInterceptor record =
        new ServerInterceptor() {
          @Override
          public <Q, R> ServerCall.Listener<Q> interceptCall(
              ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
            seen.add(ClientAddresses.current());
            return next.startCall(call, headers);
          }
        };
    return ServerInterceptors.intercept(
        VaultSyncServices.definition(
            new InProcessVaultTransport(),
            t -> t.equals(TOKEN) ? Optional.of("laptop") : Optional.empty(),
            Executors.newCachedThreadPool()),
        record);
  }

  @Test
  void onTheGrpcPortItIsThePeerWhateverTheBridgesHeaderSays() throws Exception {
    Server server =
        VaultSyncServices.configure(
                NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
            .addService(service())
            .build()
            .start();
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    try {
      Metadata spoof = new Metadata();
      spoof.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + TOKEN);
      spoof.put(
          Metadata.Key.of("vaultsync-bridge-client", Metadata.ASCII_STRING_MARSHALLER),
          "203.0.113.66");
      VaultSyncGrpc.newBlockingStub(channel)
          .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(spoof))
          .listVaults(ListVaultsRequest.getDefaultInstance());
      assertThat(seen).containsExactly("127.0.0.1");
    } finally {
      channel.shutdownNow();
      server.shutdownNow();
    }
  }

  @Test
  void throughTheBridgeItIsTheBrowsersAddress() throws Exception {
    try (ConnectBridge bridge = ConnectBridge.start(service())) {
      ConnectResponse r =
          bridge.call(
              "ListVaults",
              ListVaultsRequest.getDefaultInstance().toByteArray(),
              "Bearer " + TOKEN,
              null,
              "203.0.113.7");
      assertThat(r.httpStatus()).isEqualTo(200);
      assertThat(seen).containsExactly("203.0.113.7");
    }
  }

  @Test
  void theBrowserMayReadEveryTrailerTheServiceSets() {
    assertThat(ConnectTrailers.EXPOSED)
        .containsExactlyInAnyOrder(
            ConnectTrailers.PREFIX + StatusMapping.CURRENT_TRAILER,
            ConnectTrailers.PREFIX + StatusMapping.MASS_DELETE_TRAILER,
            ConnectTrailers.PREFIX + StatusMapping.LIMIT_TRAILER,
            ConnectTrailers.PREFIX + StatusMapping.REFUSED_TRAILER,
            ConnectTrailers.PREFIX + StatusMapping.STORAGE_TRAILER);
  }
}
