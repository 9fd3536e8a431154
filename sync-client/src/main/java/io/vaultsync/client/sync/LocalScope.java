package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which part of the folder a sync looks at: all of it, or only the named paths (files, or folders
 * with everything under them) plus the paths whose server version differs from the index. A watch
 * cycle names the paths its file events named; everything else is taken to be as the index says,
 * and the periodic full scan catches what a watcher missed.
 *
 * @param full whether to scan the whole folder
 * @param paths the files and folders to look at when not {@code full}
 */
public record LocalScope(boolean full, Set<NotePath> paths) {
  /** The whole folder: what a one-shot sync scans. */
  public static final LocalScope ALL = new LocalScope(true, Set.of());

  /** Most paths a partial scope names; more is scanned as the whole folder. */
  public static final int MAX_PATHS = 4096;

  public LocalScope {
    Objects.requireNonNull(paths, "paths");
    paths = Set.copyOf(paths);
    if (full && !paths.isEmpty()) {
      throw new IllegalArgumentException(
          "a full scope naming " + paths.size() + " paths; expected none");
    }
  }

  /** Only {@code paths} (and the server's changes); the whole folder if there are too many. */
  public static LocalScope of(Set<NotePath> paths) {
    return paths.size() > MAX_PATHS ? ALL : new LocalScope(false, paths);
  }

  /** This scope plus {@code more}. */
  LocalScope plus(Set<NotePath> more) {
    if (full || more.isEmpty()) {
      return this;
    }
    Set<NotePath> all = new TreeSet<>(paths);
    all.addAll(more);
    return of(all);
  }

  /** Whether {@code p} is a named path or lies under a named folder. */
  boolean covers(NotePath p) {
    if (full) {
      return true;
    }
    for (NotePath n = p; n != null; n = n.parent().orElse(null)) {
      if (paths.contains(n)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the folder {@code p} must be entered: it is covered or holds a named path. */
  boolean enters(NotePath folder) {
    if (covers(folder)) {
      return true;
    }
    String prefix = folder.value() + "/";
    for (NotePath n : paths) {
      if (n.value().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }

  @Override
  public String toString() {
    return full ? "LocalScope[all]" : "LocalScope" + paths;
  }
}
