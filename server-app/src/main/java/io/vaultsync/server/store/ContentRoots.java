package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.util.Set;

/**
 * What content GC must keep: every hash the server's records name (heads, version history, kept
 * snapshots, the remaining ledger). Read once per collection, after pinning began ({@link
 * PackContentStore#collect}); bases of kept deltas are added by the store.
 */
@FunctionalInterface
public interface ContentRoots {
  /** Every hash some record names now. */
  Set<ContentHash> named() throws IOException;
}
