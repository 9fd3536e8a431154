package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/**
 * What makes content GC safe beside commits, in one {@link PackContentStore}. While a collection
 * runs, every hash a batch stages or deduplicates against (content the store already had) is
 * pinned, and so is everything the batches open when it began had touched; a batch stays open until
 * its ledger rows are committed (ServerVaults closes it after the append). The collection reads its
 * roots after pinning starts, so content a commit names later is either among the roots or pinned,
 * and pinned content is kept. Objects the collection is about to drop are <i>condemned</i> first: a
 * batch never deduplicates against a condemned object (it writes its own copy), so no commit can
 * come to depend on one.
 *
 * <p>Thread-safe: one lock guards the pins, the condemned set and what each open batch touched.
 */
final class PackPins {
  private final Object lock = new Object();

  /** Hashes staged or deduplicated since a collection began; null while none runs. */
  private Set<ContentHash> pins;

  /** Objects a running collection is dropping: never deduplicated against. */
  private Set<ContentHash> condemned = Set.of();

  /**
   * What each batch not closed yet touched (a committed batch stays open until its ledger rows).
   */
  private final Map<StagingBatch, Set<ContentHash>> open = new IdentityHashMap<>();

  /** {@code batch} is open from now on. */
  void opened(StagingBatch batch) {
    synchronized (lock) {
      open.put(batch, new HashSet<>());
    }
  }

  /** {@code batch} is closed: what it touched is no longer pinned when a collection starts. */
  void closed(StagingBatch batch) {
    synchronized (lock) {
      open.remove(batch);
    }
  }

  /**
   * Records that {@code batch} staged {@code hash} (pinning it if a collection runs) and tells
   * whether the batch may keep the copy the store has instead of its own: {@code stored} says so
   * and the copy is not condemned. One step under the lock, so a collection condemns either before
   * (the batch keeps its own copy) or after (the hash is pinned, and kept).
   */
  boolean touch(StagingBatch batch, ContentHash hash, Predicate<ContentHash> stored) {
    synchronized (lock) {
      Set<ContentHash> touched = open.get(batch);
      if (touched != null) {
        touched.add(hash);
      }
      if (pins != null) {
        pins.add(hash);
      }
      return stored.test(hash) && !condemned.contains(hash);
    }
  }

  /** Starts pinning: everything open batches touched so far, and all they touch from now on. */
  void start() {
    synchronized (lock) {
      pins = new HashSet<>();
      for (Set<ContentHash> touched : open.values()) {
        pins.addAll(touched);
      }
    }
  }

  /** Ends pinning and forgets the condemned objects (the collection is over, or failed). */
  void stop() {
    synchronized (lock) {
      pins = null;
      condemned = Set.of();
    }
  }

  /** The hashes pinned so far (a copy). */
  Set<ContentHash> pinned() {
    synchronized (lock) {
      return pins == null ? Set.of() : new HashSet<>(pins);
    }
  }

  /**
   * Condemns {@code drop} except what was pinned meanwhile (and the bases such objects need, which
   * {@code withBases} adds): from now on no batch deduplicates against a condemned object. Returns
   * the objects of {@code drop} that must be kept after all.
   */
  Set<ContentHash> condemn(Set<ContentHash> drop, UnaryOperator<Set<ContentHash>> withBases) {
    synchronized (lock) {
      Set<ContentHash> late = new HashSet<>();
      for (ContentHash h : pins) {
        if (drop.contains(h)) {
          late.add(h);
        }
      }
      late = withBases.apply(late);
      late.retainAll(drop);
      Set<ContentHash> doomed = new HashSet<>(drop);
      doomed.removeAll(late);
      condemned = doomed;
      return late;
    }
  }

  /** Runs {@code action} with the condemned set, under the lock (no condemning meanwhile). */
  void withCondemned(Consumer<Set<ContentHash>> action) {
    synchronized (lock) {
      action.accept(condemned);
    }
  }
}
