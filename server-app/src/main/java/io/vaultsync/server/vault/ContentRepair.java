package io.vaultsync.server.vault;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.integrity.ContentHealer;
import io.vaultsync.server.integrity.WantedContent;
import io.vaultsync.server.ledger.VaultName;
import java.io.IOException;
import java.util.List;

/**
 * What the vault services know of lost content: the set the server wants back from devices and the
 * healer that gets content back from the master folders. Both absent until {@link #attach} (the
 * server's data folder attaches them once its quick check ran). Thread-safe.
 */
final class ContentRepair {
  private volatile WantedContent wanted;
  private volatile ContentHealer healer;

  /** Attaches {@code wanted} and {@code healer} (null: none). */
  void attach(WantedContent wanted, ContentHealer healer) {
    this.wanted = wanted;
    this.healer = healer;
  }

  /** The content the server wants back, or null if none was attached. */
  WantedContent wanted() {
    return wanted;
  }

  /** Whether {@code hash}, found missing or damaged in {@code vault}, was stored again. */
  boolean heal(VaultName vault, ContentHash hash) throws IOException {
    ContentHealer h = healer;
    return h != null && h.heal(vault, hash);
  }

  /** The wanted content that {@code vault}'s head names (usually none). */
  List<ContentHash> wantedAtHead(VaultName vault) throws IOException {
    WantedContent w = wanted;
    return w == null || w.isEmpty() ? List.of() : w.atHead(vault);
  }
}
