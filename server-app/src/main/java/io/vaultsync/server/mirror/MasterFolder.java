package io.vaultsync.server.mirror;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.DiskNames;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A vault's master folder ({@code DIR/vaults/NAME}): a plain-file view of head state that other
 * programs on the server may read and edit. This class is the only code that writes into it.
 *
 * <ul>
 *   <li>Never through a link: before touching {@code a/b/c.md} every existing component {@code a},
 *       {@code a/b} must be a real folder (not a symbolic link) and {@code c.md} a regular file or
 *       absent; otherwise a write fails ({@link BlockedPathException}) and a delete is skipped.
 *   <li>No partial file is ever visible: content goes to a {@code .vstmp-*} file in the same folder
 *       and is renamed over the name. Without an fsync per file: the folder is a view that the
 *       server rebuilds from the store on start for every change after the vault's mirrored seq.
 *   <li>Never loses an edit: a file is replaced or deleted only if its current content is stored
 *       (some version the server knows, so it stays retrievable). Otherwise (someone edited it on
 *       the server's disk and the watcher has not recorded it yet) it is kept under a conflict name
 *       next to it, which the watcher then records like any new file.
 * </ul>
 *
 * A write or move that does not leave the folder holding the path as asked throws (a full disk, a
 * link in the way, content missing from the store): the caller remembers the path as still owed and
 * never reads what the folder holds there as an edit. Not thread-safe: callers hold the vault's
 * lock.
 */
public final class MasterFolder {
  private final OwnWrites own;
  private static final Logger log = LoggerFactory.getLogger(MasterFolder.class);
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss").withZone(ZoneOffset.UTC);

  private final Path root;
  private final ContentStore store;
  private final Clock clock;
  private final MasterDisk disk;
  private final DiskNames names;

  public MasterFolder(Path root, ContentStore store, Clock clock) {
    this(root, store, clock, new OwnWrites());
  }

  /** A master folder that reports the server's own writes to {@code own} (for the watcher). */
  public MasterFolder(Path root, ContentStore store, Clock clock, OwnWrites own) {
    this(root, store, clock, own, MasterDisk.REAL, DiskNames.NONE);
  }

  /**
   * As {@link #MasterFolder(Path, ContentStore, Clock, OwnWrites)}, writing through {@code disk},
   * and writing a note whose name on the server's disk is not NFC (an NFD name found by the last
   * scan, {@code names}) under the name it has; a new file is named in NFC.
   */
  public MasterFolder(
      Path root, ContentStore store, Clock clock, OwnWrites own, MasterDisk disk, DiskNames names) {
    this.own = own;
    this.root = root;
    this.store = store;
    this.clock = clock;
    this.disk = java.util.Objects.requireNonNull(disk, "disk");
    this.names = java.util.Objects.requireNonNull(names, "names");
  }

  public Path root() {
    return root;
  }

  /**
   * Writes stored content {@code hash} at {@code path} (nothing to do if it is there already).
   *
   * @throws BlockedPathException if a link, file or folder on the server's disk is in the way
   * @throws IOException if it could not be written (the folder still holds what it held)
   */
  public void write(NotePath path, ContentHash hash) throws IOException {
    Path file = names.toFile(root, path);
    prepareParents(path);
    Optional<ContentHash> existing = existingHash(file);
    if (existing == null) {
      throw new BlockedPathException(path, "a link, folder or special file has its name");
    }
    if (existing.isPresent() && existing.get().equals(hash)) {
      return;
    }
    if (existing.isPresent() && !store.has(existing.get())) {
      keepAsConflict(path, file);
    }
    StoredObject obj;
    try {
      obj = store.open(hash);
    } catch (io.vaultsync.server.store.MissingContentException e) {
      throw e; // the store lacks it (lost, or found damaged): the server wants it back
    } catch (NoSuchFileException e) {
      throw new NoSuchFileException(
          file.toString(), null, "its content " + hash.hex() + " is missing from the store");
    }
    Path temp = file.resolveSibling(AtomicFiles.TEMP_PREFIX + Long.toHexString(System.nanoTime()));
    boolean done = false;
    try {
      try (InputStream in = obj.stream();
          OutputStream out = disk.create(temp)) {
        in.transferTo(out);
      }
      own.willBecome(file, temp); // before the rename: its events may arrive at once
      disk.replace(temp, file);
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Deletes {@code path} unless what is there is not the server's to delete: content unknown to the
   * store (an edit on the server's disk, kept for the reconciler to record), a folder, link or
   * special file, or a path behind a link.
   *
   * @return true if the path is absent now; false if something was kept there
   * @throws IOException if the delete failed
   */
  public boolean delete(NotePath path) throws IOException {
    Path file = names.toFile(root, path);
    if (!parentsAreFolders(path)) {
      return false;
    }
    Optional<ContentHash> existing = existingHash(file);
    if (existing == null) {
      log.warn("not deleting {}: it is a link, folder or special file on the server's disk", path);
      return false;
    }
    if (existing.isEmpty()) {
      return true;
    }
    if (!store.has(existing.get())) {
      log.warn("not deleting {}: it was edited on the server's disk; keeping the edit", path);
      return false;
    }
    own.removed(file);
    Files.deleteIfExists(file);
    pruneEmptyParents(path);
    return true;
  }

  /**
   * Moves {@code from} to {@code to} (content {@code hash}): a rename if {@code from} holds that
   * content and {@code to} is free, else a write of {@code to} and a delete of {@code from}.
   *
   * @throws IOException if {@code to} could not be written or {@code from} not removed (see {@link
   *     #write}); what the folder holds at either path is then not the server's intent
   */
  public void move(NotePath from, NotePath to, ContentHash hash) throws IOException {
    Path source = names.toFile(root, from);
    Optional<ContentHash> sourceHash = parentsAreFolders(from) ? existingHash(source) : null;
    if (sourceHash != null && sourceHash.isPresent() && sourceHash.get().equals(hash)) {
      prepareParents(to);
      Path target = names.toFile(root, to);
      Optional<ContentHash> existing = existingHash(target);
      if (existing != null && existing.isEmpty()) {
        own.willBecome(target, source);
        own.removed(source);
        disk.replace(source, target);
        pruneEmptyParents(from);
        return;
      }
    }
    write(to, hash);
    delete(from);
  }

  /**
   * Whether {@code path} is certainly absent: every parent is a real folder (or absent) and
   * nothing, not even a link, has its name. A path behind a link is not absent: it is unknown.
   */
  public boolean isAbsent(NotePath path) {
    if (!parentsAreFolders(path)) {
      return false;
    }
    return !Files.exists(names.toFile(root, path), LinkOption.NOFOLLOW_LINKS)
        && parentsAreFolders(path);
  }

  /** Removes {@code .vstmp-*} files an interrupted write left anywhere in the folder. */
  public void removeTemporaryFiles() throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    Files.walkFileTree(
        root,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
              throws IOException {
            if (attrs.isRegularFile()
                && file.getFileName().toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
              log.info("removing {} left by an interrupted write", root.relativize(file));
              Files.deleteIfExists(file);
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException e) {
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Hash of the regular file at {@code file}; empty if absent; null if it is not a file. */
  private static Optional<ContentHash> existingHash(Path file) throws IOException {
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!attrs.isRegularFile()) {
      return null;
    }
    MessageDigest md = ContentHash.newDigest();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      for (int n; (n = in.read(buf)) >= 0; ) {
        md.update(buf, 0, n);
      }
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    return Optional.of(ContentHash.finish(md));
  }

  private void keepAsConflict(NotePath path, Path file) throws IOException {
    String name = path.name();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    String conflict = stem + " (server-disk conflict " + STAMP.format(clock.instant()) + ")" + ext;
    Path target = file.resolveSibling(conflict);
    for (int i = 2; Files.exists(target, LinkOption.NOFOLLOW_LINKS); i++) {
      target = file.resolveSibling(stem + " (server-disk conflict " + i + ")" + ext);
    }
    log.warn(
        "{} was edited on the server's disk and is replaced by a newer version; the edit is kept"
            + " as {}",
        path,
        target.getFileName());
    Files.move(file, target);
  }

  /**
   * Creates the parent folders of {@code path}.
   *
   * @throws BlockedPathException if a component is a link or a file
   */
  private void prepareParents(NotePath path) throws IOException {
    if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
      Files.createDirectories(root);
    }
    Path dir = root;
    List<String> segments = names.segments(path);
    for (int i = 0; i < segments.size() - 1; i++) {
      dir = dir.resolve(segments.get(i));
      try {
        BasicFileAttributes a =
            Files.readAttributes(dir, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!a.isDirectory()) {
          throw new BlockedPathException(
              path,
              root.relativize(dir).toString().replace('\\', '/')
                  + " is a link or file on the server's disk");
        }
      } catch (NoSuchFileException e) {
        own.madeDirectory(dir);
        disk.createDirectory(dir);
      }
    }
  }

  private boolean parentsAreFolders(NotePath path) {
    Path dir = root;
    List<String> segments = names.segments(path);
    for (int i = 0; i < segments.size() - 1; i++) {
      dir = dir.resolve(segments.get(i));
      if (Files.exists(dir, LinkOption.NOFOLLOW_LINKS)
          && !Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
    }
    return true;
  }

  private void pruneEmptyParents(NotePath path) {
    Optional<NotePath> parent = path.parent();
    while (parent.isPresent()) {
      Path dir = names.toFile(root, parent.get());
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try {
        own.removed(dir);
        Files.delete(dir);
      } catch (DirectoryNotEmptyException e) {
        return;
      } catch (IOException e) {
        return;
      }
      parent = parent.get().parent();
    }
  }
}
