package io.vaultsync.model.ignore;

import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.PathFilter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which paths of a vault stay device-local: never uploaded, never downloaded, never deleted on
 * either side because the other lacks them. Three layers, checked in this order:
 *
 * <ol>
 *   <li><b>Never synced</b>, whatever the patterns say: anything named {@value
 *       ManifestScanner#STATE_FOLDER} at any depth (the sync state, with its token) and the
 *       engine's temporary files ({@value AtomicFiles#TEMP_PREFIX}*).
 *   <li><b>Built-in defaults</b> ({@link #DEFAULT_PATTERNS}): Obsidian's per-device workspace files
 *       and caches, OS junk, editors' swap, lock and temporary files. A {@code !} line in the file
 *       overrides one.
 *   <li><b>{@value #FILE_NAME}</b> at the vault root, gitignore syntax ({@link IgnorePattern}). The
 *       file itself is an ordinary synced file, so all devices share one policy.
 * </ol>
 *
 * As in git, later lines win, and a path inside an excluded folder is excluded whatever a later
 * {@code !} line says. Immutable and thread-safe.
 */
public final class IgnoreRules implements PathFilter {
  /** The policy file at the vault root. */
  public static final String FILE_NAME = ".vaultsyncignore";

  /** Largest {@value #FILE_NAME} read, in bytes. */
  public static final int MAX_FILE_BYTES = 64 * 1024;

  /** Most patterns read from {@value #FILE_NAME}. */
  public static final int MAX_PATTERNS = 1000;

  /** The built-in defaults, in {@value #FILE_NAME} syntax. */
  public static final List<String> DEFAULT_PATTERNS =
      List.of(
          // Obsidian: per-device layout (workspace.json, workspace-mobile.json) and caches. Not
          // workspaces.json: the Workspaces plugin's saved layouts are the user's.
          "/.obsidian/workspace.json",
          "/.obsidian/workspace-*.json",
          "/.obsidian/cache",
          // OS junk.
          ".DS_Store",
          "._*",
          "Thumbs.db",
          "ehthumbs.db",
          "desktop.ini",
          "/.Spotlight-V100/",
          "/.Trashes/",
          "/.fseventsd/",
          "/$RECYCLE.BIN/",
          // Editors' swap, backup, lock and temporary files.
          "*.swp",
          "*.swo",
          "*.swx",
          "*~",
          ".#*",
          "\\#*#",
          "4913",
          "*.tmp",
          ".~lock.*#",
          "~$*",
          "*.crdownload",
          "*.part");

  private static final List<IgnorePattern> DEFAULTS = compile(DEFAULT_PATTERNS);

  /** Only the never-synced paths and the built-in defaults. */
  public static final IgnoreRules DEFAULT = new IgnoreRules(DEFAULTS, "", List.of());

  private final List<IgnorePattern> patterns;
  private final String text;
  private final List<String> problems;

  private IgnoreRules(List<IgnorePattern> patterns, String text, List<String> problems) {
    this.patterns = List.copyOf(patterns);
    this.text = text;
    this.problems = List.copyOf(problems);
  }

  private static List<IgnorePattern> compile(List<String> lines) {
    List<IgnorePattern> out = new ArrayList<>();
    for (String line : lines) {
      IgnorePattern.parse(line).ifPresent(out::add);
    }
    return out;
  }

  /**
   * The defaults plus the patterns in {@code text} (a {@value #FILE_NAME}'s content). Lines that
   * are no valid pattern, and patterns past the {@value #MAX_PATTERNS}th, are left out and listed
   * in {@link #problems()}: a bad line in a file shared by all devices must not stop sync.
   */
  public static IgnoreRules parse(String text) {
    Objects.requireNonNull(text, "text");
    List<IgnorePattern> all = new ArrayList<>(DEFAULTS);
    List<String> problems = new ArrayList<>();
    String[] lines = text.split("\n", -1);
    int count = 0;
    for (int i = 0; i < lines.length; i++) {
      Optional<IgnorePattern> p;
      try {
        p = IgnorePattern.parse(lines[i]);
      } catch (IllegalArgumentException e) {
        problems.add(FILE_NAME + " line " + (i + 1) + ": " + e.getMessage());
        continue;
      }
      if (p.isEmpty()) {
        continue;
      }
      if (++count > MAX_PATTERNS) {
        problems.add(
            FILE_NAME + " line " + (i + 1) + ": more than " + MAX_PATTERNS + " patterns; ignored");
        break;
      }
      all.add(p.get());
    }
    return new IgnoreRules(all, text, problems);
  }

  /**
   * The rules of the vault folder {@code root}: the defaults plus its {@value #FILE_NAME}, if it is
   * a regular file (a symbolic link is not followed and counts as none).
   *
   * @throws IOException if the file cannot be read, is larger than {@value #MAX_FILE_BYTES} bytes
   *     or is not UTF-8 text
   */
  public static IgnoreRules load(Path root) throws IOException {
    Path file = root.resolve(FILE_NAME);
    if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
      return DEFAULT;
    }
    byte[] data;
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      data = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      return DEFAULT;
    }
    if (data.length > MAX_FILE_BYTES) {
      throw new IOException(
          file + " is larger than " + MAX_FILE_BYTES + " bytes; expected a short list of patterns");
    }
    try {
      return parse(
          StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(data)).toString());
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new IOException(file + " is not UTF-8 text; expected gitignore-style patterns", e);
    }
  }

  /**
   * Whether {@code path} is never synced, whatever the patterns say: a {@value
   * ManifestScanner#STATE_FOLDER} at any depth or an engine temporary file.
   */
  public static boolean neverSynced(NotePath path) {
    for (String s : path.segments()) {
      if (s.equals(ManifestScanner.STATE_FOLDER) || s.startsWith(AtomicFiles.TEMP_PREFIX)) {
        return true;
      }
    }
    return false;
  }

  /** Whether the file at {@code path} stays device-local. */
  public boolean ignores(NotePath path) {
    return excludes(path, false);
  }

  /** Whether {@code path} (a folder if {@code folder}) or a folder it is in stays device-local. */
  @Override
  public boolean excludes(NotePath path, boolean folder) {
    if (neverSynced(path)) {
      return true;
    }
    List<String> segments = path.segments();
    if (segments.size() > 1 && folderExcluded(segments.subList(0, segments.size() - 1))) {
      return true;
    }
    return decide(segments, folder);
  }

  /**
   * The last folder whose ancestry was decided, and the decision: a scan (or a sorted map) asks
   * about all the files of one folder in a row, so each folder's ancestors are matched against the
   * patterns once, not once per file. Immutable pair, swapped whole: thread-safe.
   */
  private record FolderDecision(List<String> folder, boolean excluded) {}

  private volatile FolderDecision lastFolder;

  /** Whether {@code folder} or one of its ancestors is excluded (as a folder). */
  private boolean folderExcluded(List<String> folder) {
    FolderDecision last = lastFolder;
    if (last != null && last.folder().equals(folder)) {
      return last.excluded();
    }
    boolean excluded = false;
    for (int n = 1; n <= folder.size() && !excluded; n++) {
      excluded = decide(folder.subList(0, n), true);
    }
    lastFolder = new FolderDecision(List.copyOf(folder), excluded);
    return excluded;
  }

  private boolean decide(List<String> segments, boolean folder) {
    for (int i = patterns.size() - 1; i >= 0; i--) {
      IgnorePattern p = patterns.get(i);
      if (p.matches(segments, folder)) {
        return !p.negated();
      }
    }
    return false;
  }

  /** The {@value #FILE_NAME} text these rules were read from ("" for none). */
  public String text() {
    return text;
  }

  /** Lines of the file that were left out, each naming the line and the problem. */
  public List<String> problems() {
    return problems;
  }

  @Override
  public String toString() {
    return "IgnoreRules[" + patterns.size() + " patterns, " + problems.size() + " problems]";
  }
}
