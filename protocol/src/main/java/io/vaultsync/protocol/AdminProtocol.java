package io.vaultsync.protocol;

import java.io.IOException;
import java.util.List;

/**
 * Vault administration: what an owner's tools call, not a syncing device. One role of {@link
 * VaultTransport}.
 */
public interface AdminProtocol {
  /**
   * Creates an empty vault.
   *
   * @throws InvalidRequestException if one of that name exists, or the name breaks {@link
   *     VaultNames}' rule (a remote may refuse more names: the vaultsync server's become folder
   *     names)
   */
  void createVault(String vault) throws IOException;

  /** The vaults this remote holds, by name. */
  List<VaultInfo> listVaults() throws IOException;
}
