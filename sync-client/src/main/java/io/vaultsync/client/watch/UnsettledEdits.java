package io.vaultsync.client.watch;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Set;

/**
 * Edits a watch cycle should not act on yet, because the events that complete them may still be on
 * their way: a synced file that is gone (a rename is a delete and a create, whose events can come
 * in two bursts: a cycle that saw only the delete would send a delete, not a move), and a synced
 * file that is now empty (an editor that saves in place truncates first and writes next: a cycle
 * between the two would upload an empty note). The debounce is short so a save travels fast; these
 * rare shapes wait longer for more events. A torn read (a write during the cycle's read) is caught
 * by the upload's own size, mtime and hash re-check.
 */
final class UnsettledEdits {
  /**
   * How long a cycle waits for more events when a synced file was found empty: longer than the
   * pause between an editor's truncate and its write (microseconds; the old 10 ms debounce was the
   * only guard before).
   */
  static final Duration EMPTIED_SETTLE = Duration.ofMillis(20);

  private UnsettledEdits() {}

  /** How long to wait for more events before a cycle over {@code edited}; zero: go now. */
  static Duration settle(Path root, LocalIndex index, Set<NotePath> edited, WatchOptions options)
      throws IOException {
    Duration wait = Duration.ZERO;
    for (NotePath p : edited) {
      BasicFileAttributes attrs = attributes(p.toFile(root));
      IndexEntry known = index.get(p);
      if (attrs == null) {
        wait = max(wait, options.deleteSettle()); // a file, or a folder that held synced files
      } else if (known != null && known.size() > 0 && attrs.isRegularFile() && attrs.size() == 0) {
        wait = max(wait, EMPTIED_SETTLE);
      }
    }
    return wait;
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
