package io.vaultsync.client.sync;

import io.vaultsync.protocol.RemoteEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What restoring a whole vault to seq {@code atSeq} changes, computed from the server's head and
 * its manifest at that seq: files to bring back (absent at the head), to change (another version at
 * the head) and to delete (absent at that seq). Paths this folder ignores are left out and counted.
 *
 * @param headSeq the head the plan was computed against
 * @param bringBack target versions of files the head lacks
 * @param change target versions of files the head has in another version
 * @param delete head versions of files the target lacks
 * @param ignored paths left out because this folder's ignore rules exclude them
 */
public record RestorePlan(
    long atSeq,
    long headSeq,
    List<RemoteEntry> bringBack,
    List<RemoteEntry> change,
    List<RemoteEntry> delete,
    int ignored) {
  public RestorePlan {
    bringBack = List.copyOf(bringBack);
    change = List.copyOf(change);
    delete = List.copyOf(delete);
  }

  /** The plan that turns {@code head} into {@code target} (both by path). */
  static RestorePlan between(
      long atSeq,
      long headSeq,
      Map<io.vaultsync.model.tree.NotePath, RemoteEntry> head,
      Map<io.vaultsync.model.tree.NotePath, RemoteEntry> target,
      int ignored) {
    List<RemoteEntry> bringBack = new ArrayList<>();
    List<RemoteEntry> change = new ArrayList<>();
    List<RemoteEntry> delete = new ArrayList<>();
    for (RemoteEntry t : new TreeMap<>(target).values()) {
      RemoteEntry h = head.get(t.path());
      if (h == null) {
        bringBack.add(t);
      } else if (!h.hash().equals(t.hash())) {
        change.add(t);
      }
    }
    for (RemoteEntry h : new TreeMap<>(head).values()) {
      if (!target.containsKey(h.path())) {
        delete.add(h);
      }
    }
    return new RestorePlan(atSeq, headSeq, bringBack, change, delete, ignored);
  }

  public boolean isEmpty() {
    return bringBack.isEmpty() && change.isEmpty() && delete.isEmpty();
  }

  /** One line per file: {@code bring back PATH}, {@code change PATH}, {@code delete PATH}. */
  public List<String> lines() {
    List<String> out = new ArrayList<>();
    bringBack.forEach(e -> out.add("bring back " + e.path()));
    change.forEach(e -> out.add("change     " + e.path()));
    delete.forEach(e -> out.add("delete     " + e.path()));
    return out;
  }
}
