package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import java.util.ArrayList;
import java.util.List;

/** Counts what the rounds of one sync did. Mutable; not thread-safe. */
final class SyncTally {
  int up;
  int down;
  int moved;
  int deleted;
  int merged;
  final List<NotePath> conflicts = new ArrayList<>();
  final List<NotSynced> notSynced = new ArrayList<>();
  final List<io.vaultsync.core.hash.ContentHash> absorbed = new ArrayList<>();

  /** The counts so far. */
  SyncReport.Counts counts() {
    return new SyncReport.Counts(up, down, moved, deleted, merged);
  }

  void up() {
    up++;
  }

  void down() {
    down++;
  }

  void moved() {
    moved++;
  }

  void deleted() {
    deleted++;
  }

  void merged() {
    merged++;
  }

  void conflict(NotePath copy) {
    conflicts.add(copy);
  }

  /** {@code path} is left for the next sync ({@link NotSynced.Kind#RETRY}). */
  void skip(NotePath path, String reason) {
    leaveOut(new NotSynced(path.value(), NotSynced.Kind.RETRY, reason));
  }

  void leaveOut(NotSynced file) {
    notSynced.add(file);
  }
}
