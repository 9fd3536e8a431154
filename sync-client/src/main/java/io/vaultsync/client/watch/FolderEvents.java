package io.vaultsync.client.watch;

import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import io.vaultsync.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.LoggerFactory;

/**
 * Watches a vault folder recursively and reports which paths saw events, relative to the folder.
 * Events only say "look here": whether anything changed is decided by comparing the file with the
 * index ({@link EchoFilter}). The state folder ({@code .vaultsync/}) and temporary files of atomic
 * writes are never reported. Uses directory-watcher: the JDK's WatchService on Linux and Windows,
 * the native FSEvents API on macOS (where the JDK's watcher polls every few seconds).
 */
final class FolderEvents implements AutoCloseable {
  /** Receives events; called on the watcher's thread. */
  interface Sink {
    /** Something happened at {@code relative} (a file or a folder). */
    void changed(Path relative);

    /** Events were lost: look at everything. */
    void overflow();
  }

  private final Path root;
  private final DirectoryWatcher watcher;
  private final ExecutorService thread =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "vaultsync-folder-events");
            t.setDaemon(true);
            return t;
          });

  /** Registers the watch (recursively); events flow once this returns. */
  FolderEvents(Path root, Sink sink) throws IOException {
    this.root = root.toAbsolutePath();
    Objects.requireNonNull(sink, "sink");
    this.watcher =
        DirectoryWatcher.builder()
            .path(this.root)
            .fileHashing(false)
            .logger(LoggerFactory.getLogger(DirectoryWatcher.class))
            .listener(event -> dispatch(event, sink))
            .build();
    watcher.watchAsync(thread);
  }

  private void dispatch(DirectoryChangeEvent event, Sink sink) {
    if (event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
      sink.overflow();
      return;
    }
    Path p = event.path();
    if (p == null) {
      return;
    }
    Path abs = p.toAbsolutePath();
    if (!abs.startsWith(root) || abs.equals(root)) {
      return;
    }
    Path relative = root.relativize(abs);
    if (relative.getName(0).toString().equals(".vaultsync")) {
      return;
    }
    Path name = relative.getFileName();
    if (name != null && name.toString().startsWith(AtomicFiles.TEMP_PREFIX)) {
      return;
    }
    sink.changed(relative);
  }

  @Override
  public void close() throws IOException {
    try {
      watcher.close();
    } finally {
      thread.shutdownNow();
    }
  }
}
