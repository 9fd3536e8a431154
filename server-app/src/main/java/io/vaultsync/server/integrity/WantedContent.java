package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.store.StoreEvents;
import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * The content the server wants back: hashes its store lacks (found missing at start or by {@code
 * vaultsync server check}) or holds only damaged (a read whose SHA-256 did not match).
 *
 * <p>A change page tells devices which of a vault's head content is wanted ({@link #atHead}); a
 * device that holds it gives it back, and the store, once it has stored it (a gift, a commit, a
 * repack), tells this set through {@link StoreEvents#stored}, which drops it; {@link
 * StoreEvents#damaged} adds what a read found damaged. {@link SqlWantedContent} is the server's.
 * Implementations are thread-safe, and their {@link StoreEvents} methods are quick and log what
 * they could not record instead of throwing.
 */
public interface WantedContent extends StoreEvents {
  /** One wanted content: its size when known (-1 if not), why, and since when (epoch ms). */
  record Want(ContentHash hash, long size, String reason, long sinceMillis) {}

  /** Whether nothing is wanted. */
  boolean isEmpty();

  /** How many contents are wanted. */
  int size();

  /** Whether {@code hash} is wanted. */
  boolean contains(ContentHash hash);

  /** The size of wanted content {@code hash} (-1 if unknown or not wanted). */
  long size(ContentHash hash);

  /** Everything wanted now (a copy). */
  List<Want> all();

  /** Every wanted hash now (a copy). */
  Set<ContentHash> hashes();

  /**
   * Records that {@code hash} ({@code size} bytes, -1: unknown) is wanted, and why; a hash wanted
   * already keeps its first reason.
   */
  void want(ContentHash hash, long size, String reason) throws IOException;

  /** Drops {@code hashes} from the set (they are stored again). */
  void drop(Collection<ContentHash> hashes) throws IOException;

  /**
   * The wanted content the head of {@code vault} names (at most {@link
   * io.vaultsync.protocol.Limits#WANTED_PER_PAGE}; none for an unknown vault): what a change page
   * asks devices to give back. Cheap when nothing is wanted.
   */
  List<ContentHash> atHead(VaultName vault) throws IOException;
}
