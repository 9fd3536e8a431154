package io.vaultsync.model.tree;

import io.vaultsync.model.tree.IllegalNotePathException.Rule;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.text.Normalizer;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The canonical, platform-independent name of a note inside a vault: what goes on the wire, into
 * manifests and into the ledger. Never an OS path.
 *
 * <p>Canonical form: Unicode NFC, segments separated by {@code /}, relative (no leading or trailing
 * {@code /}). {@link #of} normalizes to NFC and refuses, with an {@link IllegalNotePathException}:
 *
 * <ul>
 *   <li>the empty string, empty segments ({@code a//b}), {@code .} and {@code ..} segments;
 *   <li>backslashes and colons (so no drive letters {@code C:}, no NTFS streams {@code a:b});
 *   <li>C0 and C1 control characters including NUL and DEL, and unpaired surrogates;
 *   <li>Windows device names as a segment or as a segment's stem, case-insensitively: {@code CON},
 *       {@code PRN}, {@code AUX}, {@code NUL}, {@code COM0-9}, {@code LPT0-9} (also with
 *       superscript digits ¹²³), so {@code con}, {@code Con.md} and {@code aux.tar.gz} are refused;
 *   <li>segments that end with a space or a dot (Windows strips them, so two peers would disagree);
 *   <li>more than {@value #MAX_BYTES} UTF-8 bytes in all, more than {@value #MAX_SEGMENT_BYTES} in
 *       a segment, or more than {@value #MAX_DEPTH} segments.
 * </ul>
 *
 * <p>Characters such as {@code ? * < > | "} are allowed even though Windows cannot store them; a
 * Windows client has to map or refuse such names when it writes them.
 *
 * <p>Ordering: by the unsigned bytes of the UTF-8 form, which is code point order. Unlike {@link
 * String#compareTo} (UTF-16 units) it does not depend on the encoding of a platform's strings, so
 * every peer sorts manifests the same way. Note that this is whole-string order, not segment-wise
 * order: {@code "a.md"} sorts before {@code "a/b.md"} because {@code '.'} (0x2E) is less than
 * {@code '/'} (0x2F).
 *
 * <p>Equality is exact: {@code Notes.md} and {@code notes.md} are different paths.
 *
 * <p>Over 400 lines: the canonical path rules (NFC, separators, reserved and client-internal names,
 * lengths every platform can hold) with a message naming each refusal.
 */
public final class NotePath implements Comparable<NotePath> {
  /** Maximum length of a whole path in UTF-8 bytes. */
  public static final int MAX_BYTES = 4096;

  /** Maximum length of one segment in UTF-8 bytes (the usual file-system limit). */
  public static final int MAX_SEGMENT_BYTES = 255;

  /** Maximum number of segments. */
  public static final int MAX_DEPTH = 64;

  private static final Set<String> RESERVED_STEMS = reservedStems();

  /**
   * Shortest and longest reserved stem, in chars: a stem of another length is no device name
   * (upper-casing never maps one or two letters to the ASCII letters and digits of those names).
   */
  private static final int MIN_RESERVED_STEM = 3;

  private static final int MAX_RESERVED_STEM = 4;

  /**
   * The canonical string and nothing else of size: a vault of 50,000 notes holds two or three
   * copies of every path (index, scan, plan), so the segments are split when asked for, not kept.
   */
  private final String value;

  /**
   * Whether the value has a char at or above U+D800, where UTF-16 order and code point order part
   * ({@link #compareTo}); almost never.
   */
  private final boolean high;

  private NotePath(String value) {
    this.value = value;
    this.high = hasHighChar(value);
  }

  /**
   * Validates {@code path} and returns it in canonical (NFC) form.
   *
   * @throws IllegalNotePathException if {@code path} breaks one of the rules above
   */
  public static NotePath of(String path) {
    Objects.requireNonNull(path, "path");
    if (path.isEmpty()) {
      throw new IllegalNotePathException(path, Rule.EMPTY, "is empty; expected a relative path");
    }
    // Cheap bound before normalizing: NFC composes only a few chars into one, so input this long
    // cannot fit in MAX_BYTES UTF-8 bytes.
    if (path.length() > 4 * MAX_BYTES) {
      throw new IllegalNotePathException(
          path,
          Rule.TOO_LONG,
          "has " + path.length() + " chars; expected at most " + MAX_BYTES + " UTF-8 bytes");
    }
    String nfc;
    if (belowCombiningMarks(path)) {
      nfc = path; // no surrogates, and NFC already: no char below U+0300 composes or decomposes
    } else {
      checkSurrogates(path);
      nfc =
          Normalizer.isNormalized(path, Normalizer.Form.NFC)
              ? path
              : Normalizer.normalize(path, Normalizer.Form.NFC);
    }
    checkCharacters(path, nfc);
    if (nfc.charAt(0) == '/') {
      throw new IllegalNotePathException(
          path, Rule.ABSOLUTE, "starts with '/'; expected a path relative to the vault");
    }
    if (nfc.charAt(nfc.length() - 1) == '/') {
      throw new IllegalNotePathException(
          path, Rule.TRAILING_SLASH, "ends with '/'; expected a file name last");
    }
    // a char is at most 3 UTF-8 bytes (a surrogate pair, two chars, is 4)
    int utf8Length = nfc.length() * 3 <= MAX_BYTES ? 0 : utf8Length(nfc);
    if (utf8Length > MAX_BYTES) {
      throw new IllegalNotePathException(
          path,
          Rule.TOO_LONG,
          "is " + utf8Length + " UTF-8 bytes long; expected at most " + MAX_BYTES);
    }
    String[] parts = nfc.split("/", -1);
    if (parts.length > MAX_DEPTH) {
      throw new IllegalNotePathException(
          path, Rule.TOO_DEEP, "has " + parts.length + " segments; expected at most " + MAX_DEPTH);
    }
    for (int i = 0; i < parts.length; i++) {
      checkSegment(path, parts[i], i);
    }
    return new NotePath(nfc);
  }

  /**
   * The note path of {@code file} inside the folder {@code root}: the relative path with the OS
   * separator replaced by {@code /}, NFC-normalized and validated. Pure: touches no file system.
   *
   * <p>On a file system that distinguishes Unicode forms (Linux), a file whose name is not NFC maps
   * to a note path whose {@link #toFile} is a different file; {@link ManifestScanner} records such
   * a file's name on disk ({@link DiskNames}), and whoever reads or writes it asks {@link
   * DiskNames#toFile} rather than {@link #toFile}.
   *
   * @throws IllegalArgumentException if {@code file} is not strictly inside {@code root}
   * @throws IllegalNotePathException if the relative path is not a valid note path
   */
  public static NotePath fromFile(Path root, Path file) {
    Path base = root.toAbsolutePath().normalize();
    Path target = file.toAbsolutePath().normalize();
    if (!target.startsWith(base) || target.equals(base)) {
      throw new IllegalArgumentException(
          "file " + file + " is not inside root " + root + "; expected a file below the root");
    }
    Path relative = base.relativize(target);
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < relative.getNameCount(); i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(relative.getName(i));
    }
    return of(sb.toString());
  }

  /** The canonical string: NFC, {@code /}-separated. */
  public String value() {
    return value;
  }

  /** The segments, in order; at least one (split on each call). */
  public List<String> segments() {
    return List.of(value.split("/", -1));
  }

  /** The last segment: the file (or folder) name. */
  public String name() {
    return value.substring(value.lastIndexOf('/') + 1);
  }

  /** The folder that contains this path, or empty for a path at the top of the vault. */
  public Optional<NotePath> parent() {
    int slash = value.lastIndexOf('/');
    if (slash < 0) {
      return Optional.empty();
    }
    return Optional.of(new NotePath(value.substring(0, slash)));
  }

  /**
   * This path followed by {@code child}, a relative note path of one or more segments.
   *
   * @throws IllegalNotePathException if {@code child} is invalid or the result is too long or deep
   */
  public NotePath resolve(String child) {
    return of(value + "/" + of(child).value);
  }

  /**
   * Whether {@code folder} is this path or a folder containing it, compared segment by segment:
   * {@code a/b} starts with {@code a} but {@code ab/c} does not.
   */
  public boolean startsWith(NotePath folder) {
    return value.equals(folder.value)
        || (value.startsWith(folder.value) && value.charAt(folder.value.length()) == '/');
  }

  /**
   * The path this one has after the folder {@code fromFolder} is renamed to {@code toFolder}:
   * {@code Old/x/n.md} rebased from {@code Old} to {@code New/Sub} is {@code New/Sub/x/n.md}.
   *
   * @throws IllegalArgumentException if this path does not {@link #startsWith} {@code fromFolder}
   * @throws IllegalNotePathException if the result is too long or too deep
   */
  public NotePath rebase(NotePath fromFolder, NotePath toFolder) {
    if (!startsWith(fromFolder)) {
      throw new IllegalArgumentException(
          "note path \""
              + value
              + "\" is not under \""
              + fromFolder.value
              + "\"; expected a path in the folder being moved");
    }
    if (value.equals(fromFolder.value)) {
      return toFolder;
    }
    return of(toFolder.value + value.substring(fromFolder.value.length()));
  }

  /**
   * The file for this path under the folder {@code root}, built segment by segment with the OS
   * separator. Pure: touches no file system.
   *
   * @throws IllegalArgumentException if the result would not lie strictly inside {@code root} (not
   *     possible for a valid path on the default file systems; checked as defence in depth)
   */
  public Path toFile(Path root) {
    Path file = root;
    for (String segment : value.split("/", -1)) {
      file = file.resolve(segment);
    }
    requireInside(root, file);
    return file;
  }

  /** Throws unless {@code file}, once normalized, lies strictly below normalized {@code root}. */
  static void requireInside(Path root, Path file) {
    Path base = root.toAbsolutePath().normalize();
    Path target = file.toAbsolutePath().normalize();
    if (!target.startsWith(base) || target.equals(base)) {
      throw new IllegalArgumentException(
          "file " + file + " escapes root " + root + "; expected a file below the root");
    }
  }

  @Override
  public int compareTo(NotePath other) {
    if (!high && !other.high) {
      return value.compareTo(other.value); // below U+D800 UTF-16 order is code point order
    }
    String a = value;
    String b = other.value;
    int n = Math.min(a.length(), b.length());
    for (int i = 0; i < n; i++) {
      char x = a.charAt(i);
      char y = b.charAt(i);
      if (x != y) {
        // a surrogate (a code point >= U+10000) sorts after U+E000..U+FFFF, unlike in UTF-16
        boolean xs = Character.isSurrogate(x);
        if (xs != Character.isSurrogate(y) && x >= '\uD800' && y >= '\uD800') {
          return xs ? 1 : -1;
        }
        return x - y;
      }
    }
    return a.length() - b.length();
  }

  private static boolean hasHighChar(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= '\uD800') {
        return true;
      }
    }
    return false;
  }

  /** The UTF-8 length of a well-formed string (a surrogate pair is 4 bytes). */
  private static int utf8Length(String s) {
    int bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      bytes += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NotePath other && value.equals(other.value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  /** The canonical string, as {@link #value()}. */
  @Override
  public String toString() {
    return value;
  }

  /**
   * Whether every char of {@code path} is below U+0300, the first combining mark: such a string
   * (almost every note path) has no surrogates and is in NFC (every code point below U+0300 is
   * NFC_Quick_Check=Yes and starter), so the normalizer need not look at it.
   */
  private static boolean belowCombiningMarks(String path) {
    for (int i = 0; i < path.length(); i++) {
      if (path.charAt(i) >= '\u0300') {
        return false;
      }
    }
    return true;
  }

  private static void checkSurrogates(String path) {
    for (int i = 0; i < path.length(); i++) {
      char c = path.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < path.length()
          && Character.isLowSurrogate(path.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new IllegalNotePathException(
            path,
            Rule.UNPAIRED_SURROGATE,
            "has an unpaired surrogate "
                + codePoint(c)
                + " at index "
                + i
                + "; expected well-formed UTF-16");
      }
    }
  }

  private static void checkCharacters(String input, String nfc) {
    for (int i = 0; i < nfc.length(); i++) {
      char c = nfc.charAt(i);
      if (Character.isISOControl(c)) {
        throw new IllegalNotePathException(
            input,
            Rule.CONTROL_CHARACTER,
            "contains control character " + codePoint(c) + "; expected printable characters");
      }
      if (c == '\\') {
        throw new IllegalNotePathException(
            input, Rule.BACKSLASH, "contains a backslash; expected '/' as the only separator");
      }
      if (c == ':') {
        throw new IllegalNotePathException(
            input,
            Rule.COLON,
            "contains ':' (drive letter or stream name); expected no ':' as Windows forbids it");
      }
    }
  }

  /**
   * Checks one segment. Runs for every segment of every path a scan or an index load meets, so the
   * common (valid) case allocates nothing: messages are built only on failure, the UTF-8 length is
   * counted only when the segment could exceed the limit, and the reserved-name lookup runs only
   * for stems of a reserved name's length.
   */
  private static void checkSegment(String input, String segment, int index) {
    if (segment.isEmpty()) {
      throw new IllegalNotePathException(
          input,
          Rule.EMPTY_SEGMENT,
          "has an empty segment at " + index + "; expected one '/' between names");
    }
    if (segment.equals(".") || segment.equals("..")) {
      throw new IllegalNotePathException(
          input,
          Rule.DOT_SEGMENT,
          "has " + where(segment, index) + "; expected no '.' or '..' segments");
    }
    // A char is at most 3 UTF-8 bytes (a surrogate pair, two chars, is 4).
    if (segment.length() * 3 > MAX_SEGMENT_BYTES) {
      int bytes = segment.getBytes(StandardCharsets.UTF_8).length;
      if (bytes > MAX_SEGMENT_BYTES) {
        throw new IllegalNotePathException(
            input,
            Rule.SEGMENT_TOO_LONG,
            "has segment "
                + index
                + " of "
                + bytes
                + " UTF-8 bytes; expected at most "
                + MAX_SEGMENT_BYTES);
      }
    }
    char last = segment.charAt(segment.length() - 1);
    if (last == ' ' || last == '.') {
      throw new IllegalNotePathException(
          input,
          Rule.TRAILING_DOT_OR_SPACE,
          "has "
              + where(segment, index)
              + " ending in '"
              + last
              + "'; expected no trailing space or dot");
    }
    int dot = segment.indexOf('.');
    int stemEnd = dot < 0 ? segment.length() : dot;
    while (stemEnd > 0 && Character.isWhitespace(segment.charAt(stemEnd - 1))) {
      stemEnd--;
    }
    if (stemEnd < MIN_RESERVED_STEM || stemEnd > MAX_RESERVED_STEM) {
      return;
    }
    String stem = segment.substring(0, stemEnd);
    if (RESERVED_STEMS.contains(stem.toUpperCase(Locale.ROOT))) {
      throw new IllegalNotePathException(
          input,
          Rule.RESERVED_NAME,
          "has "
              + where(segment, index)
              + " named after Windows device "
              + stem
              + "; expected another name");
    }
  }

  private static String where(String segment, int index) {
    return "segment " + index + " \"" + IllegalNotePathException.escape(segment) + "\"";
  }

  private static String codePoint(char c) {
    return String.format("U+%04X", (int) c);
  }

  private static Set<String> reservedStems() {
    String[] names = new String[4 + 2 * 13];
    names[0] = "CON";
    names[1] = "PRN";
    names[2] = "AUX";
    names[3] = "NUL";
    String digits = "0123456789\u00b9\u00b2\u00b3";
    for (int i = 0; i < digits.length(); i++) {
      names[4 + 2 * i] = "COM" + digits.charAt(i);
      names[5 + 2 * i] = "LPT" + digits.charAt(i);
    }
    for (String name : names) {
      if (name.length() < MIN_RESERVED_STEM || name.length() > MAX_RESERVED_STEM) {
        throw new AssertionError("reserved stem " + name + " outside the checked lengths");
      }
    }
    return Set.of(names);
  }
}
