package io.vaultsync.server.http;

import io.vaultsync.server.share.ShareLinks;
import io.vaultsync.server.vault.ServerVaults;
import java.util.Objects;

/**
 * What HTTP handlers may use: the vaults (ledger, head manifests; {@code vaults.history()} once
 * version history lands), stored content by hash, and authentication, share links. Handlers read
 * note bytes only through {@link #content()}.
 *
 * @param vaults the server backend
 * @param content stored content by hash
 * @param auth bearer-token and session authentication
 * @param shares share links (create, list, revoke, open)
 */
public record HttpServices(
    ServerVaults vaults, ContentReader content, HttpAuth auth, ShareLinks shares) {
  public HttpServices {
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(vaults, "vaults");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(auth, "auth");
  }
}
