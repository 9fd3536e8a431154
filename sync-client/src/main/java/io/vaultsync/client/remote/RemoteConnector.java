package io.vaultsync.client.remote;

import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;

/**
 * Opens a connection to a vault server. The library never connects on its own: the app passes one
 * in. The CLI passes the gRPC connector (module sync-client-grpc); an app or a test that has a
 * transport at hand (the in-memory {@code InProcessVaultTransport}) passes {@link #sharing}.
 */
@FunctionalInterface
public interface RemoteConnector {
  /**
   * A transport to {@code server}, authenticated with {@code token}; the caller closes it.
   *
   * @throws IOException if the server cannot be reached or the URL's scheme is not supported
   */
  VaultTransport connect(URI server, String token) throws IOException;

  /**
   * A connector that hands out {@code shared} for every server URL and token, whose {@code close}
   * leaves {@code shared} open (each sync closes its connection; the shared transport outlives
   * them): for an app that runs the server in the same process, and for tests.
   */
  static RemoteConnector sharing(VaultTransport shared) {
    Objects.requireNonNull(shared, "shared");
    return (server, token) -> TransportProxy.forward(shared, null, false);
  }
}
