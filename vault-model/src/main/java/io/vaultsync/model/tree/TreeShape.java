package io.vaultsync.model.tree;

import io.vaultsync.core.io.AtomicFiles;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules a vault's tree must follow so that every client can hold it on its disk; pure, no I/O.
 *
 * <ol>
 *   <li><b>No client-internal name.</b> No segment is {@value ManifestScanner#STATE_FOLDER} (each
 *       client's own sync state, with its token) or starts with {@value AtomicFiles#TEMP_PREFIX}
 *       (the engine's temporary files). A client never sends such a path; one stored on the server
 *       could not be written by any client, and a zip extracted over a vault would overwrite the
 *       client's own files.
 *   <li><b>No file is also a folder.</b> No path is a proper ancestor of another ({@code dir1} and
 *       {@code dir1/child.md}): one disk cannot hold both, so every client's {@code verify} would
 *       fail forever.
 * </ol>
 *
 * A server refuses a write that would break them ({@link #refusal}), per item: two well-behaved
 * clients can race into a file/folder clash (A uploads the file {@code notes} while B uploads
 * {@code notes/a.md}), and B's other files must still go through. {@link #clashes} finds every
 * break in a list of stored paths (what {@code server check} and {@code verify} report).
 */
public final class TreeShape {
  private TreeShape() {}

  /** What a server's head holds, as far as the rules need to know (the batch so far included). */
  public interface Head {
    /** Whether a file is at {@code path}. */
    boolean isFile(NotePath path) throws IOException;

    /** Whether any file is below the folder {@code folder} ({@code folder/...}). */
    boolean holdsFilesUnder(NotePath folder) throws IOException;
  }

  /** A stored path no client can hold, and why (for people, one line). */
  public record Clash(NotePath path, String reason) {
    public Clash {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }

  /** Why no client can hold a file at {@code path} whatever else is there, or empty. */
  public static Optional<String> internalName(NotePath path) {
    for (String s : path.segments()) {
      if (s.equals(ManifestScanner.STATE_FOLDER)) {
        return Optional.of(
            "\""
                + ManifestScanner.STATE_FOLDER
                + "\" is where each client keeps its own sync state and token, so no client can"
                + " hold a note there: rename it");
      }
      if (s.startsWith(AtomicFiles.TEMP_PREFIX)) {
        return Optional.of(
            "names starting with \""
                + AtomicFiles.TEMP_PREFIX
                + "\" are the clients' temporary files, so no client can hold a note so named:"
                + " rename it");
      }
    }
    return Optional.empty();
  }

  /**
   * Why a new file at {@code target} (a new path, or the target of a move) must be refused in a
   * vault whose head is {@code head}, or empty if it may be written: an internal name, a folder on
   * the way that is a file, or a target that is a folder of other files.
   */
  public static Optional<String> refusal(NotePath target, Head head) throws IOException {
    Optional<String> internal = internalName(target);
    if (internal.isPresent()) {
      return internal;
    }
    for (NotePath p = target.parent().orElse(null); p != null; p = p.parent().orElse(null)) {
      if (head.isFile(p)) {
        return Optional.of(fileOnTheWay(p));
      }
    }
    if (head.holdsFilesUnder(target)) {
      return Optional.of(
          "\""
              + target
              + "\" is a folder of other files on the server, and a folder cannot also be a file:"
              + " rename one of them");
    }
    return Optional.empty();
  }

  /** The reason for a path below {@code file}, which is a file. */
  static String fileOnTheWay(NotePath file) {
    return "\""
        + file
        + "\" is a file on the server, and a file cannot also be a folder: rename one of them";
  }

  /**
   * Every path of {@code paths} (a head) that no client can hold: each path with an internal name,
   * and each path below a path that is itself a file (the file is kept, what is below it is named,
   * as a client writes it). In {@link NotePath} order. O(n × depth).
   */
  public static List<Clash> clashes(Collection<NotePath> paths) {
    Set<NotePath> all = paths instanceof Set<NotePath> s ? s : new HashSet<>(paths);
    List<Clash> out = new ArrayList<>();
    for (NotePath p : new TreeSet<>(paths)) {
      Optional<String> internal = internalName(p);
      if (internal.isPresent()) {
        out.add(new Clash(p, internal.get()));
        continue;
      }
      for (NotePath a = p.parent().orElse(null); a != null; a = a.parent().orElse(null)) {
        if (all.contains(a)) {
          out.add(
              new Clash(
                  p,
                  "the server holds both a file \""
                      + a
                      + "\" and this file below it, and no disk can hold both: rename or"
                      + " delete one of them"));
          break;
        }
      }
    }
    return out;
  }

  /**
   * Whether a map sorted in {@link NotePath} order has a key below the folder {@code folder}. The
   * keys that start with the folder's name but are not below it ({@code a.md}, {@code a b} for
   * {@code a}) sort between {@code a} and {@code a/...} and are stepped over.
   */
  public static boolean holdsUnder(NavigableMap<NotePath, ?> sorted, NotePath folder) {
    String name = folder.value();
    for (Map.Entry<NotePath, ?> e : sorted.tailMap(folder, false).entrySet()) {
      String k = e.getKey().value();
      if (!k.startsWith(name)) {
        return false;
      }
      char next = k.charAt(name.length());
      if (next == '/') {
        return true;
      }
      if (next > '/') {
        return false;
      }
    }
    return false;
  }
}
