package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.DiskNames;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;

/**
 * Maps note paths to files below a vault root without ever following a symbolic link: each folder
 * on the way is checked (not followed) before anything is read or written below it, and the file
 * itself must be a regular file or absent. So a link inside the vault, to a folder or file outside
 * it or inside it, is never written through nor read.
 *
 * <p>A note whose name on this disk is not its note path's (a name in decomposed Unicode, NFD,
 * found by the scan: {@link DiskNames}) is read and written under the name it has; a new file is
 * named in NFC (inside a folder whose own name is mapped, if it is).
 */
final class SafeFiles {
  private final Path root;
  private final Path tempDir;
  private final DiskNames names;

  /**
   * {@code root} must be the vault folder's real path (the root itself may be a link); {@code
   * tempDir} is where content is written before it is renamed into the vault (its state folder's
   * {@code tmp}, so an interrupted download leaves nothing an app reading the notes would see).
   */
  SafeFiles(Path root, Path tempDir) {
    this(root, tempDir, DiskNames.NONE);
  }

  private SafeFiles(Path root, Path tempDir, DiskNames names) {
    this.root = root;
    this.tempDir = tempDir;
    this.names = names;
  }

  /** These files, with the names on disk a scan found ({@link ScanResult#names()}). */
  SafeFiles withNames(DiskNames names) {
    return names.equals(this.names) ? this : new SafeFiles(root, tempDir, names);
  }

  Path root() {
    return root;
  }

  /** A new name in the temporary folder for content bound for {@code target}. */
  Path tempFor(Path target) {
    return tempDir.resolve(AtomicFiles.tempName(target));
  }

  /** Writes {@code target} atomically through the temporary folder ({@link AtomicFiles}). */
  <T> T writeAtomically(Path target, AtomicFiles.Writer<T> writer) throws IOException {
    return AtomicFiles.write(target, tempDir, writer);
  }

  /** The file of {@code path} under the root, by its name on disk; checks nothing. */
  Path locate(NotePath path) {
    return names.toFile(root, path);
  }

  /**
   * The file for {@code path}, checking every parent folder; with {@code createParents} missing
   * folders are created (one at a time, each checked).
   *
   * @throws UnsafePathException if a parent is a link or not a folder, or the file is a link or not
   *     a regular file
   */
  Path file(NotePath path, boolean createParents) throws IOException {
    Path dir = root;
    var segments = names.segments(path);
    for (int i = 0; i < segments.size() - 1; i++) {
      dir = dir.resolve(segments.get(i));
      BasicFileAttributes a = attributes(dir);
      if (a == null) {
        if (!createParents) {
          return dir.resolve(String.join("/", segments.subList(i + 1, segments.size())));
        }
        Files.createDirectory(dir);
        a = attributes(dir);
        if (a == null) {
          throw new NoSuchFileException(dir.toString(), null, "vanished after being created");
        }
      }
      if (a.isSymbolicLink() || !a.isDirectory()) {
        throw new UnsafePathException(
            "\""
                + path
                + "\": "
                + root.relativize(dir)
                + (a.isSymbolicLink() ? " is a symbolic link" : " is not a folder")
                + "; never written or read through");
      }
    }
    Path file = dir.resolve(segments.get(segments.size() - 1));
    BasicFileAttributes a = attributes(file);
    if (a != null && (a.isSymbolicLink() || !a.isRegularFile())) {
      throw new UnsafePathException(
          "\""
              + path
              + "\" is "
              + (a.isSymbolicLink() ? "a symbolic link" : "not a regular file")
              + "; never written or read through");
    }
    return file;
  }

  /** Attributes of {@code file} without following a link, or null if it does not exist. */
  static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  /** Opens a regular file for reading without following a link at its name. */
  static InputStream open(Path file) throws IOException {
    SeekableByteChannel ch =
        Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    return Channels.newInputStream(ch);
  }

  /** The SHA-256 of a file, or null if it does not exist. */
  static ContentHash hash(Path file) throws IOException {
    if (attributes(file) == null) {
      return null;
    }
    MessageDigest md = ContentHash.newDigest();
    byte[] buf = new byte[64 * 1024];
    try (InputStream in = open(file)) {
      for (int n; (n = in.read(buf)) > 0; ) {
        md.update(buf, 0, n);
      }
    }
    return ContentHash.finish(md);
  }

  /** Removes the now-empty folders above {@code path}, up to the root. */
  void pruneEmptyParents(NotePath path) throws IOException {
    var parent = path.parent();
    while (parent.isPresent()) {
      Path dir = locate(parent.get());
      try {
        BasicFileAttributes a = attributes(dir);
        if (a == null || !a.isDirectory()) {
          return;
        }
        Files.delete(dir);
      } catch (DirectoryNotEmptyException e) {
        return;
      }
      parent = parent.get().parent();
    }
  }
}
