package io.vaultsync.server.vault;

import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;

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

  /**
   * {@code vault} as the {@link VaultName} of a vault {@code ledger} holds.
   *
   * @throws NotFoundException if there is no such vault
   */
  static VaultName existing(LedgerStore ledger, String vault) throws IOException {
    VaultName name = parse(vault);
    ledger.headSeq(name); // NotFoundException for an unknown vault
    return name;
  }
}
