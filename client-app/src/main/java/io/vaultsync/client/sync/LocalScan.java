package io.vaultsync.client.sync;

import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.tree.Manifest;
import io.vaultsync.core.tree.ManifestScanner;
import io.vaultsync.core.tree.ScanResult;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Scans a vault folder with the index as the previous manifest (so unchanged files cost a stat),
 * leaving out temporary files of interrupted atomic writes ({@value AtomicFiles#TEMP_PREFIX}*),
 * which are never notes.
 */
final class LocalScan {
  private static final ManifestScanner SCANNER = new ManifestScanner();

  private LocalScan() {}

  static ScanResult scan(Path root, Manifest previous) throws IOException {
    ScanResult r = SCANNER.scan(root, previous);
    if (r.manifest().entries().stream().noneMatch(e -> isTemp(e.path().name()))
        && r.unstable().stream().noneMatch(p -> isTemp(p.name()))) {
      return r;
    }
    return new ScanResult(
        Manifest.of(r.manifest().entries().stream().filter(e -> !isTemp(e.path().name())).toList()),
        r.rejected(),
        r.unstable().stream().filter(p -> !isTemp(p.name())).toList(),
        r.filesHashed(),
        r.filesReused(),
        r.bytesHashed());
  }

  static boolean isTemp(String name) {
    return name.startsWith(AtomicFiles.TEMP_PREFIX);
  }
}
