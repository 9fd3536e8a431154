package io.vaultsync.server.vault;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.NoSuchFileException;
import java.util.List;
import java.util.Objects;

/**
 * Fetches: a stored version sent as a delta against the version the device has. Content is shared
 * by all vaults (content-addressed); a fetch of a hash stored for another vault succeeds. Content
 * found missing or damaged is healed from the master folder first if it can be. Thread-safe; needs
 * no vault lock (content never changes once stored).
 */
final class ContentReads {
  private final LedgerStore ledger;
  private final ContentStore store;
  private final ContentRepair repair;

  ContentReads(LedgerStore ledger, ContentStore store, ContentRepair repair) {
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.repair = Objects.requireNonNull(repair, "repair");
  }

  /** See {@link VaultTransport#fetch}. */
  void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    Objects.requireNonNull(target, "target");
    VaultName name = VaultNames.existing(ledger, vault);
    fetchChecked(name, target, base, deltaOut);
  }

  /**
   * See {@link VaultTransport#fetchMany}. The vault is looked up once; each item is encoded as
   * {@link #fetch} would, and a missing target or base is reported for its item before any of its
   * bytes.
   */
  void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver) throws IOException {
    VaultTransport.checkFetchItems(items.size());
    VaultName name = VaultNames.existing(ledger, vault);
    for (int i = 0; i < items.size(); i++) {
      FetchItem item = items.get(i);
      FetchReceiver.Lazy out = new FetchReceiver.Lazy(receiver, i);
      try {
        fetchChecked(name, item.target(), item.base(), out);
      } catch (NotFoundException e) {
        if (out.begun()) {
          throw e;
        }
        receiver.notFound(i, e.getMessage());
        continue;
      }
      out.stream();
      receiver.end(i);
    }
  }

  /** {@link #fetch} of a vault known to exist. */
  private void fetchChecked(
      VaultName name, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    StoredObject content = openOrNotFound(name, target, "content");
    Signature sig = null;
    if (base != null) {
      // A base the store lacks (lost, or found damaged) costs only bytes: the delta is then
      // encoded against nothing, which the receiver can apply over any basis.
      StoredObject basis = openOrNull(store, base);
      if (basis != null) {
        try (InputStream in = basis.stream()) {
          sig = Deltas.signature(in, SignatureParams.forBasisLength(basis.size()));
        }
      }
    }
    if (sig == null) {
      WholeContentDelta.write(content, deltaOut);
      return;
    }
    try (InputStream in = content.stream()) {
      Deltas.delta(sig, in, deltaOut);
    }
  }

  /**
   * The verified content {@code hash}; a damaged copy (which the store then stops serving and the
   * server wants back) reads as missing.
   *
   * @throws NotFoundException if it is not stored, or damaged
   */
  private StoredObject openOrNotFound(VaultName vault, ContentHash hash, String what)
      throws IOException {
    try {
      return store.open(hash);
    } catch (NoSuchFileException | DamagedContentException e) {
      if (repair.heal(vault, hash)) {
        StoredObject healed = openOrNull(store, hash);
        if (healed != null) {
          return healed;
        }
      }
      if (e instanceof NoSuchFileException) {
        throw new NotFoundException(what + " " + hash.hex() + " is not stored in vault " + vault);
      }
      throw new NotFoundException(
          what + " " + hash.hex() + " of vault " + vault + " is damaged on the server");
    }
  }

  /** The verified content {@code hash} of {@code store}, or null if it is not stored or damaged. */
  static StoredObject openOrNull(ContentStore store, ContentHash hash) throws IOException {
    try {
      return store.open(hash);
    } catch (NoSuchFileException | DamagedContentException e) {
      return null;
    }
  }
}
