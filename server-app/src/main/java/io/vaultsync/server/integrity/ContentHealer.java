package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.ContentStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets content a read found missing or damaged back from the server's own disk at once, so the
 * client asking for it gets it and never notices: the vault's master folder usually still holds the
 * head's bytes ({@link MasterCopies}: taken only if they hash to the content).
 */
@FunctionalInterface
public interface ContentHealer {
  /** Whether {@code hash} of {@code vault} is stored again (false: it stays wanted). */
  boolean heal(VaultName vault, ContentHash hash) throws IOException;

  /**
   * A healer that looks for wanted content at the head paths of the vault that name it. Only
   * content in {@code wanted} is looked for (so a request for an arbitrary hash costs nothing),
   * each hash at most once a minute (a look-up reads the vault's head).
   */
  static ContentHealer fromMasterFolders(
      LedgerStore ledger, ContentStore store, Path vaultsRoot, WantedContent wanted) {
    Logger log = LoggerFactory.getLogger(ContentHealer.class);
    Map<ContentHash, Long> tried = new ConcurrentHashMap<>();
    return (vault, hash) -> {
      if (!wanted.contains(hash)) {
        return false;
      }
      long now = System.nanoTime();
      Long last = tried.get(hash);
      if (last != null && now - last < 60_000_000_000L) {
        return false;
      }
      tried.put(hash, now);
      List<ContentReferences.Reference> refs = new ArrayList<>();
      for (var e : ledger.manifest(vault).entries()) {
        if (e.hash().equals(hash)) {
          refs.add(
              new ContentReferences.Reference(
                  ContentReferences.Source.HEAD,
                  vault.value(),
                  e.path().value(),
                  e.seq(),
                  hash,
                  e.size()));
        }
      }
      if (refs.isEmpty() || MasterCopies.restore(store, vaultsRoot, refs).isEmpty()) {
        return false;
      }
      tried.remove(hash);
      log.info(
          "vault {}: stored content {} again from its master folder ({})",
          vault,
          hash.hex(),
          refs.get(0).path());
      return true;
    };
  }
}
