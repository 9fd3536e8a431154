package io.vaultsync.protocol.testkit;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;

/** The contract suite against the in-memory reference implementation. */
class InProcessProtocolContractTest extends VaultProtocolContract {
  @Override
  protected Backend start(Settings settings) {
    InProcessVaultTransport remote =
        new InProcessVaultTransport(settings.clock(), settings.deleteLimits(), settings.sizes());
    return new Backend() {
      @Override
      public VaultTransport connect(String device) {
        return remote; // the device travels with each call
      }

      @Override
      public void loseContent(String vault, ContentHash hash) throws IOException {
        remote.loseContent(vault, hash);
      }

      @Override
      public long compact(String vault) throws IOException {
        return remote.compact(vault);
      }

      @Override
      public void close() {
        remote.close();
      }
    };
  }

  /** It serves no HTTP, so it makes no share links (and says so, as the protocol documents). */
  @Override
  public boolean keepsShareLinks() {
    return false;
  }
}
