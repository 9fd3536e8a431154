package io.vaultsync.model.tree;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Builds the {@link Manifest} of a folder on disk. The only class in this package that does I/O.
 *
 * <ul>
 *   <li>Symbolic links are never followed and never recorded (a link is neither its target nor a
 *       note); each is listed as {@link ScanResult#rejected()}, so it is named to the user, and its
 *       path as {@link ScanResult#unknown()}, so a note it replaced is not read as deleted. Only
 *       the root itself is resolved, so a vault folder may be a link.
 *   <li>Top-level entries named in the exclusion set (default {@value #STATE_FOLDER}) are skipped,
 *       and so are paths a {@link PathFilter} excludes ({@link #withFilter}): an excluded folder is
 *       not entered, and nothing excluded is hashed, listed as rejected or as unstable (leaving a
 *       file out by choice is not a skip to report).
 *   <li>Each regular file is hashed by streaming it through one {@value #BUFFER_SIZE}-byte buffer.
 *       Given a {@code previous} manifest, a file whose size and mtime equal its previous entry is
 *       not read at all: its previous hash is reused. (Like git's index, this trusts mtime: a
 *       same-size edit within the file system's mtime granularity of the previous scan is missed
 *       until the next change.)
 *   <li>A file whose size or mtime differ before and after hashing, or that vanished meanwhile, is
 *       listed as {@link ScanResult#unstable()} with no entry, never with a torn hash.
 *   <li>A name that is not in Unicode NFC (a decomposed name, NFD, as macOS writes it) is recorded
 *       under its NFC note path, and its name on disk in {@link ScanResult#names()}, so every later
 *       read and write of that note goes to the file it already is. Two names in one folder that
 *       normalize to one note path (possible on Linux) are a clash: both are rejected and the path
 *       is unknown, so neither is synced nor read as deleted until one is renamed.
 *   <li>Names that are not valid {@link NotePath}s, fifos, sockets and devices, and files or
 *       folders that cannot be read (permission denied) are rejected (those with a valid path are
 *       also unknown); the scan goes on.
 *   <li>Other I/O errors (the root cannot be read, a read fails mid-file) fail the scan with their
 *       {@link IOException}: a manifest that silently lacked those files would look like they were
 *       deleted.
 * </ul>
 *
 * <p>Instances are immutable and may be shared; each scan has its own state and buffer.
 *
 * <p>Over 400 lines: the vault model's only I/O, one folder walk that handles links, unreadable
 * entries, names in any Unicode form and files that change while it runs; each case is small and
 * they share the walk.
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
    Walk walk = new Walk(base, previous, false);
    Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, walk);
    return walk.result();
  }

  /**
   * The names on disk of {@code root} that are not their note paths' ({@link ScanResult#names()}),
   * without reading any file: a walk of the folders only.
   *
   * @throws NotDirectoryException if {@code root} is not a directory
   * @throws IOException if the root cannot be read
   */
  public DiskNames names(Path root) throws IOException {
    Path base = root.toRealPath();
    if (!Files.isDirectory(base, LinkOption.NOFOLLOW_LINKS)) {
      throw new NotDirectoryException(root.toString());
    }
    Walk walk = new Walk(base, Manifest.empty(), true);
    Files.walkFileTree(base, EnumSet.noneOf(FileVisitOption.class), Integer.MAX_VALUE, walk);
    return walk.result().names();
  }

  /** Why a symbolic link is left out. */
  static final String LINK_REASON = "symbolic link, not synced: links are never followed";

  /** Why a fifo, socket or device is left out. */
  static final String SPECIAL_REASON =
      "not a regular file (a fifo, socket or device), not synced: only files and folders are";

  /** The mutable state of one scan. Not thread-safe. */
  private final class Walk extends SimpleFileVisitor<Path> {
    private final Path base;
    private final Manifest previous;
    private final boolean namesOnly;
    private final byte[] buffer;
    private final List<ManifestEntry> entries = new ArrayList<>();
    private final Map<Path, RejectedFile> rejected = new LinkedHashMap<>();
    private final List<NotePath> unstable = new ArrayList<>();
    private final Set<NotePath> unknown = new HashSet<>();
    private final Map<NotePath, String> names = new HashMap<>();

    /**
     * The relative path (raw names joined by {@code /}) of each folder being visited, innermost
     * last, so a file's note path is its folder's plus its name: no per-file relativize.
     */
    private final ArrayDeque<String> folders = new ArrayDeque<>();

    /**
     * Per folder being visited (the root first, innermost last): the names in it that are not in
     * NFC, by their NFC form, or null while there is none (almost always).
     */
    private final List<Map<String, String>> oddNames = new ArrayList<>();

    private long filesHashed;
    private long filesReused;
    private long bytesHashed;

    Walk(Path base, Manifest previous, boolean namesOnly) {
      this.base = base;
      this.previous = previous;
      this.namesOnly = namesOnly;
      this.buffer = namesOnly ? null : new byte[BUFFER_SIZE];
    }

    ScanResult result() {
      List<ManifestEntry> kept = entries;
      List<NotePath> changing = unstable;
      if (!unknown.isEmpty()) {
        kept = entries.stream().filter(e -> !isUnknown(e.path())).toList();
        changing = unstable.stream().filter(p -> !isUnknown(p)).toList();
      }
      List<RejectedFile> named = new ArrayList<>(rejected.values());
      named.sort(Comparator.comparing(RejectedFile::name));
      List<NotePath> changed = new ArrayList<>(changing);
      changed.sort(Comparator.naturalOrder());
      List<NotePath> unknownPaths = new ArrayList<>(unknown);
      unknownPaths.sort(Comparator.naturalOrder());
      return new ScanResult(
          Manifest.of(kept),
          named,
          changed,
          unknownPaths,
          DiskNames.of(names),
          filesHashed,
          filesReused,
          bytesHashed);
    }

    /** Whether {@code path} or a folder it is in is unknown. */
    private boolean isUnknown(NotePath path) {
      for (NotePath p = path; p != null; p = p.parent().orElse(null)) {
        if (unknown.contains(p)) {
          return true;
        }
      }
      return false;
    }

    @Override
    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
      if (dir.equals(base)) {
        oddNames.add(null);
        return FileVisitResult.CONTINUE;
      }
      if (isExcluded(dir)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      String relative = relative(dir);
      NotePath path;
      try {
        path = NotePath.of(relative);
      } catch (IllegalNotePathException e) {
        reject(dir, e.getMessage());
        return FileVisitResult.SKIP_SUBTREE;
      }
      if (filter.excludes(path, true) || !mapName(dir, path, relative, true)) {
        return FileVisitResult.SKIP_SUBTREE;
      }
      folders.addLast(relative);
      oddNames.add(null);
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
      oddNames.remove(oddNames.size() - 1);
      if (!dir.equals(base)) {
        folders.removeLast();
      }
      if (e != null) {
        if (dir.equals(base)) {
          throw e;
        }
        unreadable(dir, e); // listing it failed midway: what it holds is unknown
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
      if (isExcluded(file)) {
        return FileVisitResult.CONTINUE;
      }
      String relative = relative(file);
      NotePath path = null;
      String invalid = null;
      try {
        path = NotePath.of(relative);
      } catch (IllegalNotePathException e) {
        invalid = e.getMessage();
      }
      if (path != null
          && (filter.excludes(path, false)
              || (attrs.isSymbolicLink() && filter.excludes(path, true)))) {
        return FileVisitResult.CONTINUE; // left out by choice, not a skip
      }
      if (attrs.isSymbolicLink() || !attrs.isRegularFile()) {
        reject(file, attrs.isSymbolicLink() ? LINK_REASON : SPECIAL_REASON);
        if (path != null) {
          unknown.add(path); // a note replaced by a link is not deleted: its state is unknown
        }
        return FileVisitResult.CONTINUE;
      }
      if (invalid != null) {
        reject(file, invalid);
        return FileVisitResult.CONTINUE;
      }
      if (mapName(file, path, relative, false) && !namesOnly) {
        record(path, file, attrs);
      }
      return FileVisitResult.CONTINUE;
    }

    @Override
    public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
      if (isExcluded(file)) {
        return FileVisitResult.CONTINUE;
      }
      if (file.equals(base)) {
        throw e;
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
      unreadable(file, e); // a folder that cannot be entered, attributes that cannot be read
      return FileVisitResult.CONTINUE;
    }

    /**
     * Records the name on disk of {@code file} (note path {@code path}) when it is not the note
     * path's own, and finds clashes: returns false when the entry must be left out (its name
     * clashes with another name of the same note path in this folder; both are then named and the
     * path is unknown). The common case, a name already in NFC and no clash found so far, costs one
     * string comparison.
     */
    private boolean mapName(Path file, NotePath path, String relative, boolean folder) {
      if (path.value().equals(relative)) {
        return unknown.isEmpty() || !unknown.contains(path); // its odd twin named them both
      }
      names.put(path, relative);
      String own = file.getFileName().toString();
      String nfc = Normalizer.normalize(own, Normalizer.Form.NFC);
      if (own.equals(nfc)) {
        return true; // only a folder it is in has an odd name, and that folder was not a clash
      }
      Map<String, String> odd = oddNames.get(oddNames.size() - 1);
      if (odd == null) {
        odd = new HashMap<>();
        oddNames.set(oddNames.size() - 1, odd);
      }
      String earlier = odd.putIfAbsent(nfc, own);
      Path twin = earlier != null ? file.resolveSibling(earlier) : file.resolveSibling(nfc);
      if (earlier == null && !isOtherFile(twin, file)) {
        return true;
      }
      String twinName = twin.getFileName().toString();
      boolean twinFolder = Files.isDirectory(twin, LinkOption.NOFOLLOW_LINKS);
      String both =
          folder && twinFolder
              ? "two folders"
              : !folder && !twinFolder ? "two files" : "a file and a folder";
      reject(file, clash(both, nfc, own, folder));
      reject(twin, clash(both, nfc, twinName, twinFolder));
      unknown.add(path);
      return false;
    }

    /** Whether a file, folder or link named {@code twin} exists and is not {@code file} itself. */
    private boolean isOtherFile(Path twin, Path file) {
      if (!Files.exists(twin, LinkOption.NOFOLLOW_LINKS)) {
        return false;
      }
      try {
        return !Files.isSameFile(twin, file); // one file under both forms (macOS): no clash
      } catch (IOException e) {
        return true;
      }
    }

    private void record(NotePath path, Path file, BasicFileAttributes attrs) throws IOException {
      long size = attrs.size();
      long mtime = attrs.lastModifiedTime().toMillis();
      ManifestEntry known = previous.asMap().get(path);
      if (known != null && known.size() == size && known.mtimeMillis() == mtime) {
        entries.add(known); // the same values: the previous entry, path and all, not a copy
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
      } catch (AccessDeniedException e) {
        unreadable(file, e);
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

    /** Names a file or folder that cannot be read; its path (if valid) becomes unknown. */
    private void unreadable(Path file, IOException e) {
      NotePath path;
      try {
        path = NotePath.fromFile(base, file);
      } catch (IllegalNotePathException invalid) {
        reject(file, invalid.getMessage());
        return;
      }
      if (filter.excludes(path, false) || filter.excludes(path, true)) {
        return;
      }
      String why =
          e instanceof AccessDeniedException
              ? "permission denied"
              : e instanceof FileSystemException f && f.getReason() != null
                  ? f.getReason()
                  : e.getClass().getSimpleName() + ": " + e.getMessage();
      reject(file, "cannot be read (" + why + "), not synced until it can be");
      unknown.add(path);
    }

    private boolean isExcluded(Path file) {
      return folders.isEmpty()
          && excludedTopLevelNames.contains(file.getFileName().toString())
          && base.equals(file.getParent());
    }

    private void reject(Path file, String reason) {
      rejected.putIfAbsent(file, new RejectedFile(base.relativize(file), reason));
    }
  }

  /** The reason each of two clashing names is left out. */
  private static String clash(String both, String nfc, String name, boolean folder) {
    String form =
        name.equals(nfc)
            ? "composed Unicode, NFC"
            : name.equals(Normalizer.normalize(nfc, Normalizer.Form.NFD))
                ? "decomposed Unicode, NFD, as macOS writes names"
                : "a non-canonical Unicode form";
    return both
        + " here normalize to the same name "
        + nfc
        + ": rename one; neither is synced until then"
        + (folder ? ", nor anything in it" : "")
        + " (this one is written in "
        + form
        + ")";
  }
}
