package io.vaultsync.server.contract;

import io.vaultsync.server.app.ServerData;
import io.vaultsync.server.http.BrowserFaceServer;
import io.vaultsync.transport.grpc.GrpcClientOptions;
import io.vaultsync.transport.grpc.connect.ConnectVaultTransport;
import java.io.IOException;

/**
 * The contract suite against the real server through its browser face: Connect unary calls on the
 * HTTP port (127.0.0.1 port 0), made by {@link ConnectVaultTransport} over HTTP/1.1. What passes
 * here passes for every client of the face (the Obsidian plugin), with unary calls only:
 * subscriptions by WaitChanges long polls, manifests and downloads in pages, pushes in UploadPart
 * parts.
 */
class ConnectServerProtocolContractTest extends RealServerProtocolContract {
  @Override
  Face serve(ServerData data, Settings settings) throws IOException {
    BrowserFaceServer face =
        BrowserFaceServer.start(
            data, settings.sizes().maxFileBytes(), BrowserFaceServer.Options.DEFAULTS);
    return new Face() {
      @Override
      public ConnectVaultTransport connect(String token) {
        return ConnectVaultTransport.connect(face.url(), token, GrpcClientOptions.DEFAULTS);
      }

      @Override
      public void close() {
        face.close();
      }
    };
  }
}
