package io.vaultsync.protocol;

import java.io.IOException;
import java.util.List;

/**
 * Vault administration: what an owner's tools call, not a syncing device. One role of {@link
 * VaultTransport}.
 */
public interface AdminProtocol {
  /** Creates an empty vault; fails if one of that name exists. */
  void createVault(String vault) throws IOException;

  /** The vaults this remote holds, by name. */
  List<VaultInfo> listVaults() throws IOException;
}
