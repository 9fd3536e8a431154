package io.vaultsync.model.ignore;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One line of a {@code .vaultsyncignore} file, with gitignore's semantics:
 *
 * <ul>
 *   <li>blank lines and lines starting with {@code #} are no patterns ({@code \#} is a literal
 *       {@code #}); trailing spaces are dropped unless escaped ({@code \ });
 *   <li>{@code !} negates: a path it matches is included again (a path inside an excluded folder
 *       cannot be, as in git: {@code \!} is a literal {@code !});
 *   <li>a trailing {@code /} matches folders only;
 *   <li>a pattern with a {@code /} at its start or middle is anchored to the vault root; one
 *       without matches a name at any depth;
 *   <li>{@code *} matches within one path segment, {@code ?} one character, {@code [a-z]} and
 *       {@code [!a-z]} a class; {@code **} as a whole segment matches any number of segments
 *       ({@code **}{@code /x}: x at any depth; {@code x/**}: everything inside x; {@code
 *       a/**}{@code /b}: b anywhere below a).
 * </ul>
 *
 * Matching is case-sensitive. Immutable.
 */
public final class IgnorePattern {
  /** Longest pattern line accepted, in characters. */
  public static final int MAX_LINE = 4096;

  /** A segment list entry: null stands for {@code **}. */
  private final List<GlobSegment> segments;

  private final String line;
  private final boolean negated;
  private final boolean folderOnly;

  private IgnorePattern(
      String line, List<GlobSegment> segments, boolean negated, boolean folderOnly) {
    this.line = line;
    this.segments = segments;
    this.negated = negated;
    this.folderOnly = folderOnly;
  }

  /**
   * Parses one line; empty for a blank line or a comment.
   *
   * @throws IllegalArgumentException if the line is longer than {@value #MAX_LINE} characters or is
   *     no pattern (e.g. {@code /} or {@code !} alone), naming the line
   */
  public static Optional<IgnorePattern> parse(String line) {
    if (line.length() > MAX_LINE) {
      throw new IllegalArgumentException(
          "ignore pattern of " + line.length() + " characters; at most " + MAX_LINE);
    }
    String s = stripTrailingSpaces(line);
    if (s.isEmpty() || s.startsWith("#")) {
      return Optional.empty();
    }
    boolean negated = false;
    if (s.startsWith("!")) {
      negated = true;
      s = s.substring(1);
    }
    boolean folderOnly = false;
    if (s.endsWith("/") && !s.endsWith("\\/")) {
      folderOnly = true;
      s = s.substring(0, s.length() - 1);
    }
    boolean anchored = s.contains("/");
    if (s.startsWith("/")) {
      s = s.substring(1);
    }
    if (s.isEmpty()) {
      throw new IllegalArgumentException(
          "ignore pattern \"" + line + "\" names no file; expected e.g. *.tmp or /drafts/");
    }
    List<GlobSegment> segments = new ArrayList<>();
    if (!anchored) {
      segments.add(null);
    }
    for (String part : s.split("/", -1)) {
      if (part.isEmpty()) {
        throw new IllegalArgumentException(
            "ignore pattern \"" + line + "\" has an empty path segment (//); expected a/b");
      }
      if (part.equals("**")) {
        if (segments.isEmpty() || segments.get(segments.size() - 1) != null) {
          segments.add(null);
        }
      } else {
        segments.add(GlobSegment.parse(part));
      }
    }
    if (segments.get(segments.size() - 1) == null) {
      // "x/**" matches what is inside x, not x itself: one segment at least.
      segments.add(GlobSegment.parse("*"));
    }
    return Optional.of(
        new IgnorePattern(
            line, java.util.Collections.unmodifiableList(segments), negated, folderOnly));
  }

  private static String stripTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && (line.charAt(end - 1) == '\r' || line.charAt(end - 1) == '\n')) {
      end--;
    }
    while (end > 0 && line.charAt(end - 1) == ' ' && (end < 2 || line.charAt(end - 2) != '\\')) {
      end--;
    }
    return line.substring(0, end);
  }

  /** Whether this is a {@code !} pattern. */
  public boolean negated() {
    return negated;
  }

  /** Whether this pattern matches folders only (it ended in {@code /}). */
  public boolean folderOnly() {
    return folderOnly;
  }

  /**
   * Whether the pattern matches the path with these segments itself (not its parents).
   *
   * @param folder whether the path is a folder
   */
  public boolean matches(List<String> path, boolean folder) {
    if (folderOnly && !folder) {
      return false;
    }
    if (segments.size() == 2 && segments.get(0) == null && segments.get(1) != null) {
      return segments.get(1).matches(path.get(path.size() - 1)); // a name at any depth
    }
    // Greedy wildcard matching over segments: ** (null) is the star; it backtracks only to the
    // last **, so the cost is O(pattern segments × path segments) segment matches.
    int pi = 0;
    int ti = 0;
    int starT = -1;
    int starP = 0;
    while (pi < path.size()) {
      if (ti < segments.size()
          && segments.get(ti) != null
          && segments.get(ti).matches(path.get(pi))) {
        pi++;
        ti++;
      } else if (ti < segments.size() && segments.get(ti) == null) {
        starT = ti++;
        starP = pi;
      } else if (starT >= 0) {
        ti = starT + 1;
        pi = ++starP;
      } else {
        return false;
      }
    }
    while (ti < segments.size() && segments.get(ti) == null) {
      ti++;
    }
    return ti == segments.size();
  }

  @Override
  public String toString() {
    return line;
  }
}
