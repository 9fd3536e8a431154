package io.vaultsync.server.http;

import io.vaultsync.server.share.ShareLinks;
import io.vaultsync.server.vault.ServerVaults;
import java.util.Objects;

/**
 * What HTTP handlers may use: the vaults (ledger, head manifests; {@code vaults.history()} once
 * version history lands), stored content by hash, and authentication, share links, the client's
 * address. Handlers read note bytes only through {@link #content()}.
 *
 * @param vaults the server backend
 * @param content stored content by hash
 * @param auth bearer-token and session authentication, with the endpoint's {@link HttpState}
 * @param shares share links (create, list, revoke, open)
 * @param clients the address a request is counted under (attempt limits, logs)
 * @param browser the browser face of the protocol ({@link ConnectRoutes}), or null for none
 */
public record HttpServices(
    ServerVaults vaults,
    ContentReader content,
    HttpAuth auth,
    ShareLinks shares,
    ClientAddress clients,
    BrowserFace browser) {
  public HttpServices {
    Objects.requireNonNull(shares, "shares");
    Objects.requireNonNull(vaults, "vaults");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(clients, "clients");
  }

  /** Services without the browser face of the protocol. */
  public HttpServices(
      ServerVaults vaults,
      ContentReader content,
      HttpAuth auth,
      ShareLinks shares,
      ClientAddress clients) {
    this(vaults, content, auth, shares, clients, null);
  }

  /** Services that count each request under its connection's peer (no trusted proxy). */
  public HttpServices(
      ServerVaults vaults, ContentReader content, HttpAuth auth, ShareLinks shares) {
    this(vaults, content, auth, shares, ClientAddress.direct());
  }

  /** The state the endpoint keeps between requests (sessions, keys, attempt limits). */
  public HttpState state() {
    return auth.state();
  }
}
