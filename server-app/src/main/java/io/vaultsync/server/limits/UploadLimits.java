package io.vaultsync.server.limits;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;

/**
 * What the backend asks before it stores uploaded content: how large one file may grow while its
 * delta is patched, and whether a vault may keep more. Implementations are thread-safe; an {@link
 * Account} belongs to one commit or push, used under the vault's lock.
 */
public interface UploadLimits {
  /** No limits: any file size, no quota (tests and embedders that want none). */
  UploadLimits NONE =
      new UploadLimits() {
        @Override
        public long maxFileBytes() {
          return Long.MAX_VALUE;
        }

        @Override
        public Account account(VaultName vault) {
          return Account.FREE;
        }
      };

  /** The largest file a commit or push may store, in bytes. */
  long maxFileBytes();

  /** The quota account of one commit or push to {@code vault} (cheap until content is added). */
  Account account(VaultName vault) throws IOException;

  /** The content one call adds to a vault, checked against its quota as it is staged. */
  interface Account {
    /** An account that accepts everything. */
    Account FREE =
        new Account() {
          @Override
          public void add(ContentHash hash, long size) {}

          @Override
          public void recorded() {}
        };

    /**
     * Adds staged content of {@code size} bytes to the call.
     *
     * @throws io.vaultsync.protocol.QuotaExceededException if the vault would then keep more than
     *     its quota (content it already keeps counts nothing)
     */
    void add(ContentHash hash, long size) throws IOException;

    /** The call's changes were recorded: its content now counts in the vault's usage. */
    void recorded();
  }
}
