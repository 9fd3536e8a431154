package io.vaultsync.server.http;

import io.vaultsync.server.vault.ServerVaults;
import java.util.Objects;

/**
 * What HTTP handlers may use: the vaults (ledger, head manifests; {@code vaults.history()} once
 * version history lands), stored content by hash, and authentication. Handlers read note bytes only
 * through {@link #content()}.
 *
 * @param vaults the server backend
 * @param content stored content by hash
 * @param auth bearer-token and session authentication
 */
public record HttpServices(ServerVaults vaults, ContentReader content, HttpAuth auth) {
  public HttpServices {
    Objects.requireNonNull(vaults, "vaults");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(auth, "auth");
  }
}
