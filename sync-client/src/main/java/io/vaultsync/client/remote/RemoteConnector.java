package io.vaultsync.client.remote;

import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.net.URI;

/**
 * Opens a connection to a vault server. The CLI gets one injected: the application wires the gRPC
 * client, tests a shared in-process transport.
 */
@FunctionalInterface
public interface RemoteConnector {
  /**
   * A transport to {@code server}, authenticated with {@code token}; the caller closes it.
   *
   * @throws IOException if the server cannot be reached or the URL's scheme is not supported
   */
  VaultTransport connect(URI server, String token) throws IOException;
}
