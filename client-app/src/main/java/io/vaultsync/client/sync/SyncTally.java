package io.vaultsync.client.sync;

import io.vaultsync.core.tree.NotePath;
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
  final List<String> skipped = new ArrayList<>();
  final List<io.vaultsync.core.hash.ContentHash> absorbed = new ArrayList<>();

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

  void skip(String line) {
    skipped.add(line);
  }
}
