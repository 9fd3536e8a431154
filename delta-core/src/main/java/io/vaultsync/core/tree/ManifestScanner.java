package io.vaultsync.core.tree;

import java.io.IOException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the {@link Manifest} of a folder on disk. The only class in this package that does I/O.
 *
 * <ul>
 *   <li>Symbolic links are never followed and never recorded (a link is neither its target nor a
 *       note). Only the root itself is resolved, so a vault folder may be a link.
 *   <li>Top-level entries named in the exclusion set (default {@value #STATE_FOLDER}) are skipped,
 *       and so are paths a {@link PathFilter} excludes ({@link #withFilter}): an excluded folder is
 *       not entered, and nothing excluded is hashed, listed as rejected or as unstable.
 *   <li>Each regular file is hashed by streaming it through one {@value #BUFFER_SIZE}-byte buffer.
 *       Given a {@code previous} manifest, a file whose size and mtime equal its previous entry is
 *       not read at all: its previous hash is reused. (Like git's index, this trusts mtime: a
 *       same-size edit within the file system's mtime granularity of the previous scan is missed
 *       until the next change.)
 *   <li>A file whose size or mtime differ before and after hashing, or that vanished meanwhile, is
 *       listed as {@link ScanResult#unstable()} with no entry, never with a torn hash.
 *   <li>Files and folders whose names are not valid {@link NotePath}s, whose names do not map back
 *       to the same file (a non-NFC name on Linux), or that are not regular files (fifos, sockets,
 *       devices) are listed as {@link ScanResult#rejected()}; the scan goes on.
 *   <li>Other I/O errors (a folder or file that cannot be read) fail the scan with their {@link
 *       IOException}: a manifest that silently lacked those files would look like they were
 *       deleted.
 * </ul>
 *
 * <p>Instances are immutable and may be shared; each scan has its own state and buffer.
 */
public final class ManifestScanner {
  /** The folder where a vault keeps sync state; excluded by default. */
  public static final String STATE_FOLDER = ".vaultsync";

  /** Read buffer size in bytes. */
  public static final int BUFFER_SIZE = 64 * 1024;

  private final Set<String> excludedTopLevelNames;
  private final FileHasher hasher;
  private final PathFilter filter;

  /** A scanner that excludes {@value #STATE_FOLDER}. */
  public ManifestScanner() {
    this(Set.of(STATE_FOLDER));
  }

  /**
   * A scanner that skips top-level files and folders with these exact names.
   *
   * @throws IllegalArgumentException if a name is empty or contains a separator
   */
  public ManifestScanner(Set<String> excludedTopLevelNames) {
    this(excludedTopLevelNames, new FileHasher());
  }

  ManifestScanner(Set<String> excludedTopLevelNames, FileHasher hasher) {
    this(excludedTopLevelNames, hasher, PathFilter.NONE);
  }

  private ManifestScanner(Set<String> excludedTopLevelNames, FileHasher hasher, PathFilter filter) {
    for (String name : excludedTopLevelNames) {
      if (name.isEmpty() || name.contains("/") || name.contains("\\")) {
        throw new IllegalArgumentException(
            "excluded name \"" + name + "\"; expected a single non-empty file name");
      }
    }
    this.excludedTopLevelNames = Set.copyOf(excludedTopLevelNames);
    this.hasher = Objects.requireNonNull(hasher, "hasher");
    this.filter = Objects.requireNonNull(filter, "filter");
  }

  /** This scanner that also leaves out what {@code filter} excludes (instead of its filter). */
  public ManifestScanner withFilter(PathFilter filter) {
    return new ManifestScanner(excludedTopLevelNames, hasher, filter);
  }

  /** Scans {@code root}, hashing every file. */
  public ScanResult scan(Path root) throws IOException {
    return scan(root, Manifest.empty());
  }

  /**
   * Scans {@code root}, reusing hashes from {@code previous} for files whose size and mtime are
   * unchanged.
   *
   * @throws NotDirectoryException if {@code root} is not a directory
   * @throws IOException if a file or folder cannot be read
   */
  public ScanResult scan(Path root, Manifest previous) throws IOException {
    Objects.requireNonNull(previous, "previous");
    Path base = root.toRealPath();
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotDirectoryException(root.toString());
    }
    Walk walk = new Walk(base, previous);
    Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, walk);
    return walk.result();
  }

  /** The mutable state of one scan. Not thread-safe. */
  private final class Walk extends SimpleFileVisitor<Path> {
    private final Path base;
    private final Manifest previous;
    private final byte[] buffer = new byte[BUFFER_SIZE];
    private final List<ManifestEntry> entries = new ArrayList<>();
    private final List<RejectedFile> rejected = new ArrayList<>();
    private final List<NotePath> unstable = new ArrayList<>();

    /**
     * The relative path (raw names joined by {@code /}) of each folder being visited, innermost
     * last, so a file's note path is its folder's plus its name: no per-file relativize.
     */
    private final ArrayDeque<String> folders = new ArrayDeque<>();

    private long filesHashed;
    private long filesReused;
    private long bytesHashed;

    Walk(Path base, Manifest previous) {
      this.base = base;
      this.previous = previous;
    }

    ScanResult result() {
      rejected.sort(Comparator.comparing(r -> r.file().toString()));
      unstable.sort(Comparator.naturalOrder());
      return new ScanResult(
          Manifest.of(entries), rejected, unstable, filesHashed, filesReused, bytesHashed);
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (dir.equals(base)) {
        return FileVisitResult.CONTINUE;
      }
      if (isExcluded(dir)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      String relative = relative(dir);
      try {
        if (filter.excludes(NotePath.of(relative), true)) {
          return FileVisitResult.SKIP_SUBTREE;
        }
      } catch (IllegalNotePathException e) {
        reject(dir, e.getMessage());
        return FileVisitResult.SKIP_SUBTREE;
      }
      folders.addLast(relative);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
      if (e != null) {
        throw e;
      }
      if (!dir.equals(base)) {
        folders.removeLast();
      }
      return FileVisitResult.CONTINUE;
    }

    /** The raw relative path of {@code file}, an entry of the innermost folder being visited. */
    private String relative(Path file) {
      String name = file.getFileName().toString();
      return folders.isEmpty() ? name : folders.peekLast() + "/" + name;
    }

    @Override
    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
      if (isExcluded(file) || attrs.isSymbolicLink()) {
        return FileVisitResult.CONTINUE;
      }
      if (!attrs.isRegularFile()) {
        if (!filtered(file)) {
          reject(file, "is not a regular file; expected a file, folder or symbolic link");
        }
        return FileVisitResult.CONTINUE;
      }
      NotePath path;
      String relative = relative(file);
      try {
        path = NotePath.of(relative);
      } catch (IllegalNotePathException e) {
        reject(file, e.getMessage());
        return FileVisitResult.CONTINUE;
      }
      if (filter.excludes(path, false)) {
        return FileVisitResult.CONTINUE;
      }
      if (!path.value().equals(relative) && !roundTrips(path, file)) {
        reject(
            file,
            "maps to note path \""
                + path
                + "\", which names a different file here; expected a name in Unicode NFC");
        return FileVisitResult.CONTINUE;
      }
      record(path, file, attrs);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      if (isExcluded(file)) {
        return FileVisitResult.CONTINUE;
      }
      if (e instanceof NoSuchFileException) {
        try {
          NotePath path = NotePath.fromFile(base, file);
          if (!filter.excludes(path, false)) {
            unstable.add(path);
          }
        } catch (IllegalNotePathException invalid) {
          // Gone, and it could not have been recorded anyway.
        }
        return FileVisitResult.CONTINUE;
      }
      throw e;
    }

    private void record(NotePath path, Path file, BasicFileAttributes attrs) throws IOException {
      long size = attrs.size();
      long mtime = attrs.lastModifiedTime().toMillis();
      ManifestEntry known = previous.asMap().get(path);
      if (known != null && known.size() == size && known.mtimeMillis() == mtime) {
        entries.add(new ManifestEntry(path, size, mtime, known.hash()));
        filesReused++;
        return;
      }
      FileHasher.Hashed hashed;
      BasicFileAttributes after;
      try {
        hashed = hasher.hash(file, buffer);
        after = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        unstable.add(path);
        return;
      }
      filesHashed++;
      bytesHashed += hashed.bytes();
      if (!after.isRegularFile()
          || after.size() != size
          || hashed.bytes() != size
          || after.lastModifiedTime().toMillis() != mtime) {
        unstable.add(path);
        return;
      }
      entries.add(new ManifestEntry(path, size, mtime, hashed.hash()));
    }

    /**
     * Whether {@code path} names {@code file} again: always when the name was already canonical
     * (the caller checks that first, without building a path); otherwise only on a file system that
     * treats both forms as one name (macOS).
     */
    private boolean roundTrips(NotePath path, Path file) {
      Path back = path.toFile(base);
      if (back.equals(file)) {
        return true;
      }
      try {
        return Files.isSameFile(back, file);
      } catch (IOException e) {
        return false;
      }
    }

    /** Whether the filter excludes {@code file} (false if its name is not a valid path). */
    private boolean filtered(Path file) {
      try {
        return filter.excludes(NotePath.fromFile(base, file), false);
      } catch (IllegalNotePathException e) {
        return false;
      }
    }

    private boolean isExcluded(Path file) {
      return folders.isEmpty()
          && excludedTopLevelNames.contains(file.getFileName().toString())
          && base.equals(file.getParent());
    }

    private void reject(Path file, String reason) {
      rejected.add(new RejectedFile(base.relativize(file), reason));
    }
  }
}
