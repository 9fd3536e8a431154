package io.vaultsync.client.sync;

import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.model.tree.PathFilter;
import io.vaultsync.model.tree.ScanResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Scans a vault folder with the index as the previous manifest (so unchanged files cost a stat),
 * leaving out temporary files of interrupted atomic writes ({@value AtomicFiles#TEMP_PREFIX}*),
 * which are never notes.
 */
final class LocalScan {
  private static final ManifestScanner SCANNER = new ManifestScanner();

  private LocalScan() {}

  /**
   * Scans the folder; temporary files ({@code .vstmp-*}) are left out, and with {@code
   * removeLeftovers} deleted: only for a caller that holds the folder's sync lock, for whom they
   * are leftovers of an interrupted run, never a write in progress.
   */
  static ScanResult scan(Path root, Manifest previous, boolean removeLeftovers) throws IOException {
    return scan(root, previous, removeLeftovers, PathFilter.NONE);
  }

  /**
   * As {@link #scan(Path, Manifest, boolean)}, also leaving out what {@code ignore} excludes
   * (ignored folders are not entered). Temporary files are still found, so that leftovers are
   * removed.
   */
  static ScanResult scan(Path root, Manifest previous, boolean removeLeftovers, PathFilter ignore)
      throws IOException {
    return scan(root, previous, removeLeftovers, ignore, LocalScope.ALL, Manifest.empty());
  }

  /**
   * As {@link #scan(Path, Manifest, boolean, PathFilter)}, but looking only at what {@code scope}
   * covers (a folder outside it is not entered; a file outside it is not even stat'ed): the result
   * lists those paths as found now and every other path as {@code base} (the index) has it.
   */
  static ScanResult scan(
      Path root,
      Manifest previous,
      boolean removeLeftovers,
      PathFilter ignore,
      LocalScope scope,
      Manifest base)
      throws IOException {
    PathFilter kept = (p, folder) -> (folder || !isTemp(p.name())) && ignore.excludes(p, folder);
    PathFilter filter =
        scope.full()
            ? kept
            : (p, folder) ->
                (folder ? !scope.enters(p) : !scope.covers(p)) || kept.excludes(p, folder);
    ScanResult r = SCANNER.withFilter(filter).scan(root, previous);
    if (!scope.full()) {
      List<ManifestEntry> merged = new ArrayList<>(base.size() + r.manifest().size());
      for (ManifestEntry e : base.entries()) {
        if (!scope.covers(e.path())) {
          merged.add(e);
        }
      }
      merged.addAll(r.manifest().entries());
      r = r.with(Manifest.of(merged), r.unstable());
    }
    if (removeLeftovers) {
      for (var e : r.manifest().entries()) {
        if (isTemp(e.path().name())) {
          java.nio.file.Files.deleteIfExists(r.names().toFile(root, e.path()));
        }
      }
    }
    if (r.manifest().entries().stream().noneMatch(e -> isTemp(e.path().name()))
        && r.unstable().stream().noneMatch(p -> isTemp(p.name()))) {
      return r;
    }
    return r.with(
        Manifest.of(r.manifest().entries().stream().filter(e -> !isTemp(e.path().name())).toList()),
        r.unstable().stream().filter(p -> !isTemp(p.name())).toList());
  }

  static boolean isTemp(String name) {
    return name.startsWith(AtomicFiles.TEMP_PREFIX);
  }
}
