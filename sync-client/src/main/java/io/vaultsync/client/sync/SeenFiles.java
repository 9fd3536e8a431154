package io.vaultsync.client.sync;

import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import java.util.HashMap;
import java.util.Map;

/**
 * The local files as one round's plan saw them: what the scan saw, and the files this round moved
 * locally, as they are now (the scan saw them elsewhere). Every step checks the file it acts on
 * against this right before acting. Not thread-safe.
 */
final class SeenFiles {
  private final ScanResult scan;
  private final Map<NotePath, ManifestEntry> movedHere = new HashMap<>();

  SeenFiles(ScanResult scan) {
    this.scan = scan;
  }

  /** The local file at {@code path} as the plan saw it (or as this round's local move left it). */
  ManifestEntry at(NotePath path) {
    ManifestEntry moved = movedHere.get(path);
    return moved != null ? moved : scan.manifest().asMap().get(path);
  }

  /** Whether the scan saw a file at {@code path}. */
  boolean scanned(NotePath path) {
    return scan.manifest().contains(path);
  }

  /** This round moved a file locally to {@code entry}'s path. */
  void movedHere(ManifestEntry entry) {
    movedHere.put(entry.path(), entry);
  }
}
