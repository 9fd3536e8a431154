package io.vaultsync.server.postgres;

/**
 * A vault's lock across servers could not be taken, or was lost while held (its database connection
 * broke, so PostgreSQL let it go): the work under it must not be trusted to have run alone.
 * Unchecked, as {@link io.vaultsync.server.vault.VaultLock}'s methods declare nothing.
 */
public final class LostVaultLockException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  public LostVaultLockException(String message, Throwable cause) {
    super(message, cause);
  }
}
