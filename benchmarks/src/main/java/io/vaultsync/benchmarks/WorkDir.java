package io.vaultsync.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** A benchmark's work folder: the one the user named (kept), or a temporary one (removed). */
final class WorkDir {
  /** What runs in the folder. */
  @FunctionalInterface
  interface Body<T> {
    T run(Path dir) throws IOException, InterruptedException;
  }

  private WorkDir() {}

  /**
   * Runs {@code body} in {@code work}, or, when it is null, in a new temporary folder named after
   * {@code prefix} that is removed afterwards, whatever happened.
   */
  static <T> T use(Path work, String prefix, Body<T> body)
      throws IOException, InterruptedException {
    boolean temporary = work == null;
    Path dir = temporary ? Files.createTempDirectory(prefix) : Files.createDirectories(work);
    try {
      return body.run(dir);
    } finally {
      if (temporary) {
        deleteTree(dir);
      }
    }
  }

  /** Deletes {@code dir} and everything in it; nothing if it does not exist. */
  static void deleteTree(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
        Files.deleteIfExists(p);
      }
    }
  }
}
