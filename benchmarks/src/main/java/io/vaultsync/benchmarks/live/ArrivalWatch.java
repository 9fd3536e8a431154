package io.vaultsync.benchmarks.live;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Notices the moment a file in a folder tree has exactly the expected content: the JDK's
 * WatchService (inotify on Linux) on every folder of the tree, and a content check after each event
 * and at least every {@link #FALLBACK_POLL}. A client writes a note by renaming a complete
 * temporary file over it, which inotify reports at once (tens of microseconds to reach this thread
 * here); the poll only bounds the error if an event is missed. Reading the file on events only
 * keeps this thread off the CPU the clients need (the machines have two cores).
 *
 * <p>Folders created after the start are not watched; the benchmarks only edit existing notes.
 */
public final class ArrivalWatch implements AutoCloseable {
  /** Longest wait between two content checks when no event comes. */
  public static final Duration FALLBACK_POLL = Duration.ofMillis(1);

  private final WatchService service;

  public ArrivalWatch(Path root) throws IOException {
    this.service = FileSystems.getDefault().newWatchService();
    try (Stream<Path> dirs = Files.walk(root)) {
      for (Path d : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
        if (!d.getFileName().toString().equals(".vaultsync")) {
          d.register(
              service, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
        }
      }
    }
  }

  /**
   * Waits until {@code file} holds exactly {@code expected}; returns {@link System#nanoTime()} at
   * the check that saw it.
   *
   * @throws IOException if {@code timeout} passes first, naming the file and what it holds
   */
  public long await(Path file, byte[] expected, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (holds(file, expected)) {
        return System.nanoTime();
      }
      long left = end - System.nanoTime();
      if (left <= 0) {
        long size = Files.exists(file) ? Files.size(file) : -1;
        throw new IOException(
            file
                + " did not get the expected "
                + expected.length
                + " bytes within "
                + timeout
                + " (it has "
                + size
                + " bytes)");
      }
      WatchKey key = service.poll(Math.min(left, FALLBACK_POLL.toNanos()), TimeUnit.NANOSECONDS);
      while (key != null) {
        key.pollEvents();
        key.reset();
        key = service.poll();
      }
    }
  }

  private static boolean holds(Path file, byte[] expected) throws IOException {
    try {
      return Files.size(file) == expected.length
          && Arrays.equals(Files.readAllBytes(file), expected);
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    service.close();
  }
}
