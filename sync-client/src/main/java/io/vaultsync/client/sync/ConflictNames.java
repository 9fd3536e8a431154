package io.vaultsync.client.sync;

import io.vaultsync.model.tree.IllegalNotePathException;
import io.vaultsync.model.tree.NotePath;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.function.Predicate;

/**
 * Names the copy that keeps the local version of a conflicting file: {@code NAME (conflict DEVICE
 * YYYY-MM-DD HHMMSS).ext} in the same folder, with a counter before the closing parenthesis ({@code
 * ... HHMMSS 2).ext}) when that name is taken. The name is shortened when it would exceed the
 * segment limit. Pure.
 */
public final class ConflictNames {
  private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HHmmss");

  private ConflictNames() {}

  /**
   * The first free conflict-copy name for {@code path}.
   *
   * @param device a valid device name
   * @param time when the conflict was found, in the zone the name should show
   * @param taken whether a path is in use (on disk, in the index or on the server)
   */
  public static NotePath next(
      NotePath path, String device, ZonedDateTime time, Predicate<NotePath> taken) {
    String name = path.name();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    String ext = dot > 0 ? name.substring(dot) : "";
    String tag = " (conflict " + device + " " + STAMP.format(time);
    for (int n = 1; n < 10_000; n++) {
      String suffix = tag + (n == 1 ? "" : " " + n) + ")" + ext;
      NotePath candidate = candidate(path, stem, suffix);
      if (!taken.test(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free conflict name for " + path + " after 9999 tries");
  }

  private static NotePath candidate(NotePath path, String stem, String suffix) {
    String s = stem;
    while (true) {
      String name = s + suffix;
      try {
        return path.parent().map(p -> p.resolve(name)).orElseGet(() -> NotePath.of(name));
      } catch (IllegalNotePathException e) {
        if (s.isEmpty()) {
          throw e;
        }
        s = s.substring(0, s.offsetByCodePoints(s.length(), -1)).strip();
      }
    }
  }
}
