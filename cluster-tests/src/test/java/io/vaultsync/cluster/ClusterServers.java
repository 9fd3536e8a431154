package io.vaultsync.cluster;

import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.server.app.GrpcRpcEndpoint;
import io.vaultsync.server.app.RpcEndpoint;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.app.StorageSettings;
import io.vaultsync.server.limits.StorageLimits;
import io.vaultsync.transport.grpc.ChannelSecurity;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.GrpcVaultTransport;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Several server processes of one server, as {@code vaultsync server --database ... --objects ...}
 * opens each (in this JVM, each with its own data folder, pool, listener and gRPC endpoint on
 * 127.0.0.1 port 0), sharing one PostgreSQL database and one bucket. Clients connect to the process
 * a test names, with one token per device (the token table is shared).
 */
final class ClusterServers implements AutoCloseable {
  /** One process: its opened data and its gRPC endpoint. */
  record Server(ServerData data, RpcEndpoint.Running rpc) {}

  private final List<Server> servers = new ArrayList<>();
  private final List<GrpcVaultTransport> clients = new ArrayList<>();
  private final Map<String, String> tokens = new HashMap<>();

  /**
   * Starts {@code n} processes on the database {@code databaseUrl} and the bucket {@code objects}
   * at {@code endpoint}, with folders under {@code dir}.
   */
  static ClusterServers start(
      Path dir,
      int n,
      String databaseUrl,
      URI objects,
      URI endpoint,
      Clock clock,
      DeleteLimits deleteLimits,
      StorageLimits storageLimits)
      throws IOException {
    S3ProxyProcess.useCredentials();
    ClusterServers c = new ClusterServers();
    try {
      for (int i = 0; i < n; i++) {
        ServerData data =
            ServerData.openShared(
                dir.resolve("server-" + i),
                clock,
                deleteLimits,
                storageLimits,
                new StorageSettings(
                    databaseUrl, objects, endpoint, "server-" + i, 16L << 20, null));
        RpcEndpoint.Running rpc;
        try {
          data.shares().baseUrl(URI.create("http://127.0.0.1:1/"));
          rpc =
              new GrpcRpcEndpoint()
                  .start(new InetSocketAddress("127.0.0.1", 0), data.vaults(), data.tokens(), null);
        } catch (IOException | RuntimeException e) {
          data.close();
          throw e;
        }
        c.servers.add(new Server(data, rpc));
      }
    } catch (IOException | RuntimeException e) {
      c.close();
      throw e;
    }
    return c;
  }

  Server server(int i) {
    return servers.get(i);
  }

  int size() {
    return servers.size();
  }

  /** A client of process {@code i} as {@code device}. */
  synchronized GrpcVaultTransport connect(int i, String device) throws IOException {
    String token = tokens.get(device);
    if (token == null) {
      token = servers.get(0).data().tokens().create(device);
      tokens.put(device, token);
    }
    GrpcVaultTransport t =
        GrpcVaultTransport.connect(
            "127.0.0.1:" + servers.get(i).rpc().port(),
            token,
            ChannelSecurity.loopbackPlaintext(),
            GrpcClientOptions.DEFAULTS);
    clients.add(t);
    return t;
  }

  @Override
  public void close() throws IOException {
    IOException first = null;
    for (GrpcVaultTransport t : clients) {
      t.close();
    }
    for (Server s : servers) {
      try {
        s.rpc().close();
        s.data().close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
