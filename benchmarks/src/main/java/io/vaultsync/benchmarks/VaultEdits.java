package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

/** The edits the vault benchmark makes to a generated vault, the same for every tool and run. */
final class VaultEdits {
  private VaultEdits() {}

  /** Appends one list line to a note (an edit like a person's: a line at the end). */
  static void editLine(Path note, int run) throws IOException {
    Files.writeString(
        note, "- edited in run " + run + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  /** {@code n} distinct paths (all of them if there are fewer). */
  static List<Path> pick(List<Path> paths, int n, SplittableRandom random) {
    List<Path> copy = new ArrayList<>(paths);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      Path t = copy.get(i);
      copy.set(i, copy.get(j));
      copy.set(j, t);
    }
    return List.copyOf(copy.subList(0, Math.min(n, copy.size())));
  }

  /**
   * The note folder (not the root, not hidden) holding the fewest notes below it, ties broken by
   * name: a folder rename that moves a handful of notes, as a person reorganizing would.
   */
  static Path smallestFolder(Path root) throws IOException {
    List<Path> folders;
    try (Stream<Path> s = Files.walk(root)) {
      folders =
          s.filter(Files::isDirectory)
              .filter(p -> !p.equals(root))
              .filter(p -> !root.relativize(p).getName(0).toString().startsWith("."))
              .sorted()
              .toList();
    }
    Path best = null;
    long bestCount = Long.MAX_VALUE;
    for (Path f : folders) {
      long count;
      try (Stream<Path> s = Files.walk(f)) {
        count = s.filter(p -> p.toString().endsWith(".md")).count();
      }
      if (count > 0 && count < bestCount) {
        best = f;
        bestCount = count;
      }
    }
    if (best == null) {
      throw new IOException("no note folder under " + root);
    }
    return best;
  }

  /**
   * Renames {@code count} notes of {@code a} in place (even ones) or moves them into the folder of
   * another random note (odd ones); how many changed place (a note moved into its own folder
   * stays).
   */
  static int renameOrMove(Path a, List<Path> paths, int count, SplittableRandom random)
      throws IOException {
    int changed = 0;
    List<Path> moved = pick(paths, count, random);
    for (int i = 0; i < moved.size(); i++) {
      Path from = a.resolve(moved.get(i));
      String name = from.getFileName().toString();
      Path to =
          i % 2 == 0
              ? from.resolveSibling(name.substring(0, name.length() - 3) + " renamed.md")
              // note names end in a unique number, so a note moved to another folder never collides
              : a.resolve(paths.get(random.nextInt(paths.size()))).resolveSibling(name);
      if (!to.equals(from)) {
        Files.move(from, to);
        changed++;
      }
    }
    return changed;
  }
}
