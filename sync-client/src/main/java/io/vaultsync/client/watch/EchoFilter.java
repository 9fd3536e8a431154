package io.vaultsync.client.watch;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.PathFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

/**
 * Tells a local edit from the echo of the client's own write. The watcher reports every write,
 * including the downloads the client just made; a path is an edit only if the file now differs from
 * what the index says was synced: present vs absent, another size, or (same size) another SHA-256.
 * Comparing content, not timing, means a remote write is never mistaken for a local edit and a
 * local edit made right after a download is never mistaken for its echo.
 */
final class EchoFilter {
  /** What the events amount to. */
  record Result(Set<NotePath> edited, Set<NotePath> folders, boolean needsScan) {
    boolean any() {
      return needsScan || !edited.isEmpty() || !folders.isEmpty();
    }
  }

  private EchoFilter() {}

  /**
   * Compares the paths in {@code events} (relative to {@code root}) with {@code index}. A folder,
   * or a path that is not a note path, cannot be compared file by file: it asks for a scan.
   */
  static Result filter(Path root, LocalIndex index, PathFilter ignored, Collection<Path> events)
      throws IOException {
    return filter(root, index, ignored, events, Set.of());
  }

  /**
   * As {@link #filter(Path, LocalIndex, PathFilter, Collection)}; {@code named} are the files the
   * session names as not synced now (a link, a special file, a name clash): an event for one of
   * them, or for a new link or special file, is looked at too, so the list is told when it changes.
   */
  static Result filter(
      Path root, LocalIndex index, PathFilter ignored, Collection<Path> events, Set<NotePath> named)
      throws IOException {
    Set<NotePath> edited = new TreeSet<>();
    Set<NotePath> folders = new TreeSet<>();
    boolean needsScan = false;
    for (Path relative : events) {
      NotePath path;
      try {
        path =
            NotePath.of(relative.toString().replace(relative.getFileSystem().getSeparator(), "/"));
      } catch (IllegalArgumentException e) {
        needsScan = true; // the scan reports it (rejected) or it is a folder event
        continue;
      }
      IndexEntry known = index.get(path);
      Path file = root.resolve(relative);
      if (known == null && ignored.excludes(path, Files.isDirectory(file))) {
        continue; // device-local (an editor's swap file, .obsidian/workspace.json): never synced
      }
      BasicFileAttributes attrs;
      try {
        attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        if (known != null || holdsSyncedFiles(index, path) || named.contains(path)) {
          edited.add(path); // deleted, or a folder that held synced files went away
        }
        continue;
      }
      if (attrs.isDirectory()) {
        folders.add(path); // a folder appeared or was moved in: its files may have no events
        continue;
      }
      if (!attrs.isRegularFile()) {
        edited.add(path); // never synced, but named: the cycle's scan of it says why
        continue;
      }
      if (named.contains(path)
          || known == null
          || known.size() != attrs.size()
          || !sameContent(file, known.hash())) {
        edited.add(path);
      }
    }
    return new Result(edited, folders, needsScan);
  }

  private static boolean holdsSyncedFiles(LocalIndex index, NotePath folder) {
    return index.holdsAnythingUnder(folder);
  }

  private static boolean sameContent(Path file, ContentHash expected) throws IOException {
    MessageDigest md = ContentHash.newDigest();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    } catch (NoSuchFileException e) {
      return false;
    }
    return ContentHash.finish(md).equals(expected);
  }
}
