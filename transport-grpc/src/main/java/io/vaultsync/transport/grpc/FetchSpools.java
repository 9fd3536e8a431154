package io.vaultsync.transport.grpc;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.SyncProtocol;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The whole delta of one item that FetchPage pages are reading, spooled to a file so that the pages
 * after the second read it instead of generating it again from its first byte (which made paging a
 * large file quadratic). A spool is made for the second page that starts inside an item, holds the
 * item's whole delta, and is deleted when a page serves its end, after {@link #IDLE} unused, or
 * when {@link #MAX_SPOOLS} others are newer. Files live in the service's staging folder ({@code
 * fetch-*.spool}; leftovers of a previous process are deleted on start). Thread-safe; making a
 * spool runs outside the lock.
 */
final class FetchSpools {
  private static final Logger LOG = LoggerFactory.getLogger(FetchSpools.class);

  /** Most spools kept at once, over every device; the oldest goes first. */
  static final int MAX_SPOOLS = 8;

  /** A spool unused for this long is deleted. */
  static final Duration IDLE = Duration.ofMinutes(10);

  private static final String PREFIX = "fetch-";
  private static final String SUFFIX = ".spool";

  /** What a spool holds: one device's view of one item (the base may be null). */
  record Key(String device, String vault, ContentHash target, ContentHash base) {}

  /** A spooled delta: its file and length. */
  record Spool(Path file, long length) {}

  private record Kept(Spool spool, Instant used) {}

  private final Path folder;
  private final Clock clock;
  private final Map<Key, Kept> spools = new LinkedHashMap<>();

  FetchSpools(Path folder, Clock clock) throws IOException {
    this.folder = folder;
    this.clock = clock;
    Files.createDirectories(folder);
    try (DirectoryStream<Path> left = Files.newDirectoryStream(folder, PREFIX + "*" + SUFFIX)) {
      for (Path p : left) {
        Files.deleteIfExists(p);
      }
    }
  }

  /**
   * The spool of {@code key}, made now from {@code backend} if there is none; null when the backend
   * has no such target (the caller reports it not found) or the spool could not be written (the
   * caller generates the delta as without spools).
   */
  Spool spool(Key key, SyncProtocol backend) throws IOException {
    synchronized (this) {
      sweep();
      Kept kept = spools.get(key);
      if (kept != null) {
        spools.put(key, new Kept(kept.spool(), clock.instant()));
        return kept.spool();
      }
    }
    Path file = folder.resolve(PREFIX + UUID.randomUUID() + SUFFIX);
    long[] length = {-1};
    try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file), 64 << 10)) {
      backend.fetchMany(
          key.vault(),
          List.of(new FetchItem(key.target(), key.base())),
          new FetchReceiver() {
            @Override
            public OutputStream begin(int index) {
              return out;
            }

            @Override
            public void end(int index) throws IOException {
              out.flush();
              length[0] = Files.size(file);
            }

            @Override
            public void notFound(int index, String message) {}
          });
    } catch (IOException e) {
      delete(file);
      if (ToStatus.storageFailure(e) != null) {
        LOG.warn(
            "could not spool a fetched delta ({}); generating its pages one by one", e.toString());
        return null;
      }
      throw e;
    } catch (RuntimeException e) {
      delete(file);
      throw e;
    }
    if (length[0] < 0) {
      delete(file);
      return null;
    }
    Spool made = new Spool(file, length[0]);
    synchronized (this) {
      Kept raced = spools.put(key, new Kept(made, clock.instant()));
      if (raced != null) {
        delete(raced.spool().file());
      }
      while (spools.size() > MAX_SPOOLS) {
        Key oldest =
            spools.entrySet().stream()
                .min(Comparator.comparing(e -> e.getValue().used()))
                .orElseThrow()
                .getKey();
        delete(spools.remove(oldest).spool().file());
      }
    }
    return made;
  }

  /** Reads {@code spool} from {@code offset}; the caller closes the stream. */
  static InputStream read(Spool spool, long offset) throws IOException {
    InputStream in = Files.newInputStream(spool.file());
    in.skipNBytes(offset);
    return in;
  }

  /** Drops the spool of {@code key} (its last bytes were served). */
  synchronized void done(Key key) {
    Kept kept = spools.remove(key);
    if (kept != null) {
      delete(kept.spool().file());
    }
  }

  /** Spools kept now; for tests. */
  synchronized int size() {
    return spools.size();
  }

  /** Deletes spools unused for {@link #IDLE}. */
  synchronized void sweep() {
    Instant cutoff = clock.instant().minus(IDLE);
    var it = spools.values().iterator();
    while (it.hasNext()) {
      Kept k = it.next();
      if (k.used().isBefore(cutoff)) {
        it.remove();
        delete(k.spool().file());
      }
    }
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete the fetch spool {}: {}", file, e.toString());
    }
  }
}
