package io.vaultsync.transport.grpc;

import io.grpc.Status;
import io.vaultsync.transport.grpc.v1.UploadPartResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The staging area of UploadPart: one file per open upload under the folder {@link UploadSettings}
 * names, keyed by the device the token authenticated and the client's upload id (so a device never
 * reaches another's upload). Bounded: at most {@link #MAX_OPEN_PER_DEVICE} open uploads per device,
 * each dropped (its file deleted) after {@link #IDLE} without a part. An applied upload is kept
 * without its file, as its answer, until it goes idle too, so that a last part sent again after a
 * lost answer gets the same answer. Ids live in memory only: after a restart every id is unknown
 * and the files of the previous process are deleted on start. Thread-safe; the parts of one upload
 * run one at a time ({@link #acquire}).
 */
final class UploadStaging {
  private static final Logger LOG = LoggerFactory.getLogger(UploadStaging.class);

  /** Most uploads one device may have open (staged, not yet applied). */
  static final int MAX_OPEN_PER_DEVICE = 64;

  /** An upload without a part for this long is dropped. */
  static final Duration IDLE = Duration.ofMinutes(10);

  /** Most applied uploads whose answers one device's repeats can still get. */
  private static final int MAX_APPLIED_PER_DEVICE = 256;

  private static final String PREFIX = "upload-";
  private static final String SUFFIX = ".part";

  /** An upload's identity: the authenticated device and the client's id. */
  record Key(String device, String id) {}

  /**
   * One upload; its mutable fields are guarded by the staging's lock, its file by {@link #busy}.
   */
  static final class Upload {
    final Key key;
    final Path file;
    final UploadParts.Target target;
    long received;
    long lastOffset = -1;
    int lastLength;
    UploadPartResponse applied;
    private Instant touched;
    private boolean busy;

    private Upload(Key key, Path file, UploadParts.Target target, Instant now) {
      this.key = key;
      this.file = file;
      this.target = target;
      this.touched = now;
    }
  }

  private final UploadSettings settings;
  private final Clock clock;
  private final Map<Key, Upload> uploads = new HashMap<>();

  UploadStaging(UploadSettings settings) throws IOException {
    this.settings = settings;
    this.clock = settings.clock();
    Files.createDirectories(settings.folder());
    try (DirectoryStream<Path> left =
        Files.newDirectoryStream(settings.folder(), PREFIX + "*" + SUFFIX)) {
      for (Path p : left) {
        Files.deleteIfExists(p); // a previous process's upload: its id is unknown now
      }
    }
  }

  /** The longest delta one upload may stage. */
  long maxDeltaBytes() {
    return settings.maxDeltaBytes();
  }

  /** The upload {@code key} names, held for this caller until {@link #release}; null if none. */
  Upload acquire(Key key) throws IOException {
    Upload u;
    synchronized (this) {
      sweep();
      u = uploads.get(key);
      if (u == null) {
        return null;
      }
      while (u.busy) {
        try {
          wait();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new java.io.InterruptedIOException("waiting for another part of the upload");
        }
      }
      if (uploads.get(key) != u) {
        return null; // dropped while this part waited
      }
      u.busy = true;
      u.touched = clock.instant();
    }
    return u;
  }

  /**
   * A new upload for {@code key}, held until {@link #release}; null if another call opened one for
   * {@code key} meanwhile.
   *
   * @throws io.grpc.StatusRuntimeException RESOURCE_EXHAUSTED when the device has {@link
   *     #MAX_OPEN_PER_DEVICE} open uploads
   */
  Upload open(Key key, UploadParts.Target target) throws IOException {
    Path file = settings.folder().resolve(PREFIX + UUID.randomUUID() + SUFFIX);
    synchronized (this) {
      sweep();
      long open =
          uploads.values().stream()
              .filter(u -> u.key.device().equals(key.device()) && u.applied == null)
              .count();
      if (open >= MAX_OPEN_PER_DEVICE) {
        throw Status.RESOURCE_EXHAUSTED
            .withDescription(
                "this device has "
                    + open
                    + " uploads open, the most the server holds; finish one or wait until an idle"
                    + " one is dropped ("
                    + IDLE.toMinutes()
                    + " minutes without a part), then start upload "
                    + key.id()
                    + " again")
            .asRuntimeException();
      }
      if (uploads.containsKey(key)) {
        return null; // another call opened it first: take it with acquire
      }
      Files.createFile(file);
      Upload u = new Upload(key, file, target, clock.instant());
      u.busy = true;
      uploads.put(key, u);
      return u;
    }
  }

  /** Appends {@code data} to the held upload {@code u}; on failure its file is as it was. */
  void append(Upload u, byte[] data, long offset) throws IOException {
    try (FileChannel ch = FileChannel.open(u.file, StandardOpenOption.WRITE)) {
      try {
        ch.position(u.received);
        var buffer = java.nio.ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
          ch.write(buffer);
        }
      } catch (IOException e) {
        ch.truncate(u.received);
        throw e;
      }
    }
    synchronized (this) {
      u.received += data.length;
      u.lastOffset = offset;
      u.lastLength = data.length;
    }
  }

  /** The held upload's delta. */
  InputStream read(Upload u) throws IOException {
    return Files.newInputStream(u.file);
  }

  /** The held upload {@code u} was applied: its file goes, its answer stays until idle. */
  void applied(Upload u, UploadPartResponse answer) {
    delete(u.file);
    synchronized (this) {
      u.applied = answer;
      List<Upload> done =
          new ArrayList<>(
              uploads.values().stream()
                  .filter(x -> x.key.device().equals(u.key.device()) && x.applied != null)
                  .toList());
      if (done.size() > MAX_APPLIED_PER_DEVICE) {
        done.sort(Comparator.comparing(x -> x.touched));
        for (Upload old : done.subList(0, done.size() - MAX_APPLIED_PER_DEVICE)) {
          if (old != u) {
            uploads.remove(old.key);
          }
        }
      }
    }
  }

  /** Drops the held upload {@code u} and its file (its delta was refused or failed). */
  void drop(Upload u) {
    synchronized (this) {
      uploads.remove(u.key, u);
    }
    delete(u.file);
  }

  /** Lets other parts of {@code u} run. */
  void release(Upload u) {
    synchronized (this) {
      u.busy = false;
      u.touched = clock.instant();
      notifyAll();
    }
  }

  /** Open (not applied) uploads of {@code device}; for tests. */
  synchronized int openUploads(String device) {
    sweep();
    return (int)
        uploads.values().stream()
            .filter(u -> u.key.device().equals(device) && u.applied == null)
            .count();
  }

  /** Drops every upload idle for {@link #IDLE}; the caller holds the lock. */
  private void sweep() {
    Instant cutoff = clock.instant().minus(IDLE);
    var it = uploads.values().iterator();
    while (it.hasNext()) {
      Upload u = it.next();
      if (!u.busy && u.touched.isBefore(cutoff)) {
        it.remove();
        if (u.applied == null) {
          delete(u.file);
        }
      }
    }
  }

  /** Drops idle uploads now (the service's timer calls this, so files go even with no calls). */
  synchronized void sweepNow() {
    sweep();
  }

  private static void delete(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("could not delete the upload staging file {}: {}", file, e.toString());
    }
  }
}
