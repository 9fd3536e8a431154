package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a repack may store as deltas: for an old version, the newer version of the same file to
 * encode it against; and the objects that must stay whole (every vault's head, so current content
 * is read without patching). Built from the ledger by the caller; the store checks chain depth and
 * cycles itself, so any plan is safe.
 *
 * @param newerOf old version → a newer version of the same file
 * @param keepWhole objects never stored as deltas
 */
public record DeltaPlan(Map<ContentHash, ContentHash> newerOf, Set<ContentHash> keepWhole) {
  /** No deltas: a repack then only merges packs (and expands existing deltas). */
  public static final DeltaPlan NONE = new DeltaPlan(Map.of(), Set.of());

  public DeltaPlan {
    newerOf = Map.copyOf(Objects.requireNonNull(newerOf, "newerOf"));
    keepWhole = Set.copyOf(Objects.requireNonNull(keepWhole, "keepWhole"));
  }
}
