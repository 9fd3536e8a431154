package io.vaultsync.client.cli;

import io.vaultsync.client.sync.NotSynced;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lines that name the files a sync left out, for people: one {@code not synced: PATH: REASON}
 * per file, except the deletes the mass-delete guard held back, which share one reason per refusal:
 * that reason once (what was held back, why, what to do), then the first {@value #NAMED} paths and
 * how many more ({@code --json} lists every one).
 */
final class NotSyncedLines {
  /** Held-back paths named one per line before "and N more". */
  static final int NAMED = 5;

  private NotSyncedLines() {}

  static List<String> of(List<NotSynced> files) {
    List<String> lines = new ArrayList<>();
    Map<String, List<String>> heldBack = new LinkedHashMap<>();
    for (NotSynced n : files) {
      if (n.kind() == NotSynced.Kind.HELD_BACK) {
        heldBack.computeIfAbsent(n.reason(), r -> new ArrayList<>()).add(n.path());
      } else {
        lines.add("not synced: " + n.describe());
      }
    }
    heldBack.forEach(
        (reason, paths) -> {
          lines.add(reason);
          for (int i = 0; i < Math.min(NAMED, paths.size()); i++) {
            lines.add("  held back: " + paths.get(i));
          }
          if (paths.size() > NAMED) {
            lines.add("  … and " + (paths.size() - NAMED) + " more (every path: --json)");
          }
        });
    return lines;
  }
}
