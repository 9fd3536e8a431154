package io.vaultsync.client;

import io.vaultsync.client.state.VaultConfig;
import java.net.URI;
import java.util.Objects;

/**
 * The vault a folder syncs with and who syncs it: what {@link VaultSync#init} and {@link
 * VaultSync#cloneInto} write into the folder's state, and every later sync reads from there.
 *
 * @param server the server's URL, handed to the app's {@code RemoteConnector}
 * @param vault the vault's name on that server
 * @param device this device's name (shown in the server's history)
 * @param token the access token (kept in the folder's state, readable by its owner only); never
 *     printed by {@link #toString()}
 */
public record RemoteVault(URI server, String vault, String device, String token) {
  public RemoteVault {
    Objects.requireNonNull(token, "token");
    if (token.isBlank()) {
      throw new IllegalArgumentException("token is blank; expected the access token of " + vault);
    }
    new VaultConfig(server, vault, device); // checks the names, with messages naming them
  }

  /** The folder's configuration: all but the token. */
  public VaultConfig config() {
    return new VaultConfig(server, vault, device);
  }

  @Override
  public String toString() {
    return "RemoteVault[server=" + server + ", vault=" + vault + ", device=" + device + "]";
  }
}
