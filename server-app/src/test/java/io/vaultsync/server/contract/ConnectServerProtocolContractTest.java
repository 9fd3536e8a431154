package io.vaultsync.server.contract;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.testkit.VaultProtocolContract;
import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.http.BrowserFaceServer;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.connect.ConnectVaultTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract suite against the real server through its browser face: Connect unary calls on the
 * HTTP port (127.0.0.1 port 0), made by {@link ConnectVaultTransport} over HTTP/1.1, one token per
 * device; the same hooks as {@link GrpcServerProtocolContractTest}. What passes here passes for
 * every client of the face (the Obsidian plugin), unary calls only: subscriptions by WaitChanges
 * long polls, manifests and downloads in pages, pushes in UploadPart parts.
 */
class ConnectServerProtocolContractTest extends VaultProtocolContract {
  @TempDir Path tmp;

  @Override
  protected Backend start(Settings settings) throws IOException {
    ServerData data = RealServerHooks.open(tmp.resolve("server"), settings);
    BrowserFaceServer face;
    try {
      face =
          BrowserFaceServer.start(
              data, settings.sizes().maxFileBytes(), BrowserFaceServer.Options.DEFAULTS);
    } catch (IOException | RuntimeException e) {
      data.close();
      throw e;
    }
    List<ConnectVaultTransport> clients = new ArrayList<>();
    return new Backend() {
      @Override
      public VaultTransport connect(String device) throws IOException {
        ConnectVaultTransport client =
            ConnectVaultTransport.connect(
                face.url(), data.tokens().create(device), GrpcClientOptions.DEFAULTS);
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
        for (ConnectVaultTransport c : clients) {
          c.close();
        }
        face.close();
        data.close();
      }
    };
  }
}
