package io.vaultsync.server.contract;

import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The contract suite against the real server through its gRPC port: {@link GrpcRpcEndpoint} on
 * 127.0.0.1 port 0, reached by the real gRPC client, one connection per device.
 */
class GrpcServerProtocolContractTest extends RealServerProtocolContract {
  @Override
  Face serve(ServerData data, Settings settings) throws IOException {
    RpcEndpoint.Running rpc =
        new GrpcRpcEndpoint()
            .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), null);
    return new Face() {
      @Override
      public GrpcVaultTransport connect(String token) throws IOException {
        return GrpcVaultTransport.connect(
            "127.0.0.1:" + rpc.port(),
            token,
            ChannelSecurity.loopbackPlaintext(),
            GrpcClientOptions.DEFAULTS);
      }

      @Override
      public void close() throws IOException {
        rpc.close();
      }
    };
  }
}
