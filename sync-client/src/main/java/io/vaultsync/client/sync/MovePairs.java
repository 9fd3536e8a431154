package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;

/**
 * Local files that were moved and edited: each new path (in the folder, not in the index, not on
 * the server) paired with the vanished path it came from (in the index, gone from the folder,
 * unchanged on the server). Found by {@link MovePairing} (it reads the new files), handed to the
 * pure {@link SyncPlanner}, which turns each pair into a move on the server plus an upload of the
 * edit as a delta against the moved version.
 *
 * @param movedFrom new path → the vanished path it came from; no path appears twice
 */
public record MovePairs(Map<NotePath, NotePath> movedFrom) {
  /** No pairs. */
  public static final MovePairs NONE = new MovePairs(Map.of());

  public MovePairs {
    Objects.requireNonNull(movedFrom, "movedFrom");
    Set<NotePath> seen = new HashSet<>();
    movedFrom.forEach(
        (to, from) -> {
          if (to.equals(from) || !seen.add(to) || !seen.add(from)) {
            throw new IllegalArgumentException(
                "move pair " + from + " -> " + to + " reuses a path; each path pairs once");
          }
        });
    movedFrom = Map.copyOf(new TreeMap<>(movedFrom));
  }

  public boolean isEmpty() {
    return movedFrom.isEmpty();
  }

  public int size() {
    return movedFrom.size();
  }
}
