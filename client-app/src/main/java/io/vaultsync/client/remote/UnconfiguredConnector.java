package io.vaultsync.client.remote;

import io.vaultsync.core.transport.VaultTransport;
import java.io.IOException;
import java.net.URI;

/**
 * The connector of a build that has no network transport wired in: every connection fails with a
 * message that says so. The application replaces it with the gRPC client's connector.
 */
public final class UnconfiguredConnector implements RemoteConnector {
  @Override
  public VaultTransport connect(URI server, String token) throws IOException {
    throw new IOException(
        "cannot connect to "
            + server
            + ": this build has no transport for scheme \""
            + server.getScheme()
            + "\"");
  }
}
