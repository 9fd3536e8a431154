package io.vaultsync.model.tree;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a note path is on this disk, for the few files and folders whose name there is not the
 * canonical (NFC) one: a name in decomposed Unicode (NFD), as macOS writes it and as a copy from a
 * Mac keeps it on Linux ({@code Cafe\u0301.md} on disk for the note path {@code Café.md}). The note
 * path is what goes on the wire, into the index and the ledger; the name on disk is what each
 * device already has, as Syncthing does. Every other path's name on disk is its canonical value.
 *
 * <p>A {@link ManifestScanner} makes the mapping while it walks the folder (the one place that
 * reads names from the disk); whoever writes, deletes, moves or reads a file for a note path asks
 * it for the file ({@link #toFile}), so an existing file keeps its name and a new one is written in
 * NFC (inside a folder whose own name is mapped, if it is). Immutable and thread-safe.
 */
public final class DiskNames {
  /** No path is mapped: every name on disk is canonical. */
  public static final DiskNames NONE = new DiskNames(Map.of());

  /** Note path value (a file or a folder) to its relative path on disk, '/'-separated. */
  private final Map<String, String> names;

  private DiskNames(Map<String, String> names) {
    this.names = names;
  }

  /**
   * A mapping from note paths (files or folders) to their relative path on disk, {@code
   * /}-separated; entries whose disk name equals the canonical one are dropped.
   *
   * @throws IllegalArgumentException if a disk name does not normalize to its note path
   */
  public static DiskNames of(Map<NotePath, String> onDisk) {
    Map<String, String> m = new HashMap<>();
    for (Map.Entry<NotePath, String> e : onDisk.entrySet()) {
      NotePath path = Objects.requireNonNull(e.getKey(), "path");
      String disk = Objects.requireNonNull(e.getValue(), "disk name");
      if (!NotePath.of(disk).equals(path)) {
        throw new IllegalArgumentException(
            "disk name \""
                + IllegalNotePathException.escape(disk)
                + "\" normalizes to another path than \""
                + path
                + "\"; expected a name of the same note");
      }
      if (!disk.equals(path.value())) {
        m.put(path.value(), disk);
      }
    }
    return m.isEmpty() ? NONE : new DiskNames(Collections.unmodifiableMap(m));
  }

  /** Whether no path is mapped. */
  public boolean isEmpty() {
    return names.isEmpty();
  }

  /** How many files and folders have a name on disk that is not canonical. */
  public int size() {
    return names.size();
  }

  /**
   * The names on disk of {@code path}'s segments: the mapped name of the longest mapped prefix (the
   * path itself or a folder it is in) followed by the rest of the canonical segments.
   */
  public List<String> segments(NotePath path) {
    if (names.isEmpty()) {
      return path.segments();
    }
    String value = path.value();
    for (int end = value.length(); end > 0; end = value.lastIndexOf('/', end - 1)) {
      String disk = names.get(end == value.length() ? value : value.substring(0, end));
      if (disk != null) {
        List<String> out = new ArrayList<>(List.of(disk.split("/", -1)));
        if (end < value.length()) {
          out.addAll(List.of(value.substring(end + 1).split("/", -1)));
        }
        return out;
      }
    }
    return path.segments();
  }

  /** {@code path}'s relative path on disk, {@code /}-separated. */
  public String relative(NotePath path) {
    return names.isEmpty() ? path.value() : String.join("/", segments(path));
  }

  /**
   * Whether {@code path}'s name on disk (or a folder's it is in) differs from its canonical one.
   */
  public boolean isMapped(NotePath path) {
    return !names.isEmpty() && !relative(path).equals(path.value());
  }

  /**
   * The file for {@code path} under {@code root}, segment by segment with the OS separator. Pure:
   * touches no file system.
   *
   * @throws IllegalArgumentException if the result would not lie strictly inside {@code root}
   */
  public Path toFile(Path root, NotePath path) {
    if (names.isEmpty()) {
      return path.toFile(root);
    }
    Path file = root;
    for (String segment : segments(path)) {
      file = file.resolve(segment);
    }
    NotePath.requireInside(root, file);
    return file;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DiskNames other && names.equals(other.names);
  }

  @Override
  public int hashCode() {
    return names.hashCode();
  }

  @Override
  public String toString() {
    return names.size() <= 8
        ? "DiskNames" + names
        : "DiskNames[" + names.size() + " names not in NFC on disk]";
  }
}
