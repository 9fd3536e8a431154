package io.vaultsync.server.vault;

import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.server.ledger.VaultName;

/** A vault's name as a request gives it. */
final class VaultNames {
  private VaultNames() {}

  /**
   * {@code vault} as a {@link VaultName}.
   *
   * @throws NotFoundException if no vault can have that name (so none has it)
   */
  static VaultName parse(String vault) throws NotFoundException {
    try {
      return VaultName.of(vault);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException(e.getMessage());
    }
  }
}
