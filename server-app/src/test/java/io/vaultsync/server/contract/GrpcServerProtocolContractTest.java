package io.vaultsync.server.contract;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.VaultProtocolContract;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite against the real server, as {@code vaultsync server} runs it (SQLite ledger,
 * pack store, master folders, share links), reached by the real gRPC client over 127.0.0.1 port 0,
 * one token and connection per device. Its hooks do what an operator or a disk would: compaction is
 * {@code vaultsync server compact}'s, and lost content is a pack whose bytes of it were damaged and
 * a master folder that no longer holds it.
 */
class GrpcServerProtocolContractTest extends VaultProtocolContract {
  @TempDir Path tmp;

  @Override
  protected Backend start(Settings settings) throws IOException {
    ServerData data = RealServerHooks.open(tmp.resolve("server"), settings);
    RpcEndpoint.Running rpc;
    try {
      rpc =
          new GrpcRpcEndpoint()
              .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), null);
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    List<GrpcVaultTransport> clients = new ArrayList<>();
    return new Backend() {
      @Override
      public VaultTransport connect(String device) throws IOException {
        GrpcVaultTransport client =
            GrpcVaultTransport.connect(
                "127.0.0.1:" + rpc.port(),
                data.tokens().create(device),
                ChannelSecurity.loopbackPlaintext(),
                GrpcClientOptions.DEFAULTS);
        clients.add(client);
        return client;
      }

      @Override
      public void loseContent(String vault, ContentHash hash) throws IOException {
        RealServerHooks.loseContent(data, vault, hash);
      }

      @Override
      public long compact(String vault) throws IOException {
        return RealServerHooks.compact(data, vault);
      }

      @Override
      public void close() throws IOException {
        for (GrpcVaultTransport c : clients) {
          c.close();
        }
        rpc.close();
        data.close();
      }
    };
  }
}
