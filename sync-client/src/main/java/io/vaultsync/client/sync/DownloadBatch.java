package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.SyncProtocol;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Downloads many small files with one {@link SyncProtocol#fetchMany} call and one durability point,
 * instead of a call, a temporary delta file and an fsync per file.
 *
 * <p>The steps, for at most {@link #MAX_FILES} files or {@link #MAX_BYTES} bytes:
 *
 * <ol>
 *   <li>each file's delta is patched, as it arrives, into a temporary {@code .vstmp-*} file in the
 *       vault's state folder ({@code .vaultsync/tmp}, out of sight of apps that read the notes),
 *       not synced; its SHA-256 is checked against the plan's;
 *   <li>all temporary files are fsynced, on {@link #FSYNC_THREADS} threads (so the file system's
 *       journal can group their commits);
 *   <li>each target is checked again to be what the plan expected (else its temporary file is
 *       removed and the path skipped) and the temporary file renamed over it;
 *   <li>the touched folders (and their parents up to the root, for folders just created) are
 *       fsynced;
 *   <li>the caller records the returned entries in the index.
 * </ol>
 *
 * A crash at any point leaves only temporary files (which scans skip) and files that are whole and
 * durable; the index never names a version that is not on disk, so the next sync re-plans (a file
 * already equal to the server's is only recorded) and finishes. Not thread-safe.
 */
final class DownloadBatch {
  /** Most files in one batch: what one {@code fetchMany} call may name. */
  static final int MAX_FILES = Limits.FETCH_ITEMS;

  /** Most content bytes in one batch (the temporary files written before one fsync round). */
  static final long MAX_BYTES = 32L << 20;

  /** Largest file taken into a batch; larger ones stream through {@link Transfers#download}. */
  static final long MAX_FILE_BYTES = Transfers.INLINE_FILE_LIMIT;

  /**
   * Threads that fsync a batch's files. Measured on a 10,000-note clone (docs/ARCHITECTURE.md):
   * several fsyncs in flight let the journal commit them together.
   */
  static final int FSYNC_THREADS = 4;

  /** One file to download. */
  record Request(NotePath path, Version remote, ContentHash localBase, ManifestEntry expected) {
    Request {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(remote, "remote");
      if (remote.size() > MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            path
                + " has "
                + remote.size()
                + " bytes; a batch takes files of at most "
                + MAX_FILE_BYTES);
      }
    }
  }

  /** What a batch did: the written files' index entries, and the paths left out with why. */
  record Result(List<IndexEntry> written, Map<NotePath, NotSynced> skipped) {}

  /** Called right before each rename (tests inject failures here). */
  @FunctionalInterface
  interface RenameHook {
    void beforeRename(NotePath path) throws IOException;
  }

  private final SyncProtocol transport;
  private final String vault;
  private final SafeFiles files;
  private final RenameHook hook;

  DownloadBatch(SyncProtocol transport, String vault, SafeFiles files) {
    this(transport, vault, files, path -> {});
  }

  DownloadBatch(SyncProtocol transport, String vault, SafeFiles files, RenameHook hook) {
    this.transport = transport;
    this.vault = vault;
    this.files = files;
    this.hook = hook;
  }

  /** Downloads {@code requests} (at most {@link #MAX_FILES}); see the class comment. */
  Result run(List<Request> requests) throws IOException {
    if (requests.size() > MAX_FILES) {
      throw new IllegalArgumentException(
          "batch of " + requests.size() + " downloads; at most " + MAX_FILES);
    }
    Map<NotePath, NotSynced> skipped = new LinkedHashMap<>();
    List<Request> asked = new ArrayList<>();
    List<Path> targets = new ArrayList<>();
    for (Request r : requests) {
      try {
        Path file = files.file(r.path(), true);
        Transfers.requireUnchanged(r.path(), file, r.expected());
        asked.add(r);
        targets.add(file);
      } catch (UnsafePathException e) {
        skipped.put(r.path(), new NotSynced(r.path().value(), NotSynced.Kind.NAME, e.getMessage()));
      } catch (ChangedMeanwhileException | FileSystemException e) {
        skipped.put(r.path(), retry(r.path(), e.getMessage()));
      }
    }
    List<Written> written = new ArrayList<>();
    try {
      if (!asked.isEmpty()) {
        List<FetchItem> items = new ArrayList<>(asked.size());
        for (Request r : asked) {
          items.add(new FetchItem(r.remote().hash(), r.localBase()));
        }
        transport.fetchMany(vault, items, new Receiver(asked, targets, written, skipped));
      }
      fsyncAll(written);
      List<IndexEntry> entries = new ArrayList<>(written.size());
      Set<Path> folders = new LinkedHashSet<>();
      for (Written w : written) {
        try {
          Transfers.requireUnchanged(w.request.path(), w.target, w.request.expected());
        } catch (ChangedMeanwhileException e) {
          skipped.put(w.request.path(), retry(w.request.path(), e.getMessage()));
          continue; // its temporary file is removed below
        }
        hook.beforeRename(w.request.path());
        AtomicFiles.moveInto(w.temp, w.target);
        w.renamed = true;
        folders.add(w.target.getParent());
        BasicFileAttributes a = SafeFiles.attributes(w.target);
        entries.add(
            new IndexEntry(
                w.request.path(),
                w.request.remote().size(),
                a.lastModifiedTime().toMillis(),
                w.request.remote().hash(),
                w.signature));
      }
      fsyncFolders(folders);
      return new Result(entries, skipped);
    } finally {
      for (Written w : written) {
        if (!w.renamed) {
          Files.deleteIfExists(w.temp);
        }
      }
    }
  }

  /** A file patched into its temporary file, not yet renamed. */
  private static final class Written {
    final Request request;
    final Path target;
    final Path temp;
    final KeptSignature signature;
    boolean renamed;

    Written(Request request, Path target, Path temp, KeptSignature signature) {
      this.request = request;
      this.target = target;
      this.temp = temp;
      this.signature = signature;
    }
  }

  /** Buffers each delta (bounded) and patches it into a temporary file when it ends. */
  private final class Receiver implements FetchReceiver {
    private final List<Request> asked;
    private final List<Path> targets;
    private final List<Written> written;
    private final Map<NotePath, NotSynced> skipped;
    private final BoundedBuffer delta = new BoundedBuffer();

    Receiver(
        List<Request> asked,
        List<Path> targets,
        List<Written> written,
        Map<NotePath, NotSynced> skipped) {
      this.asked = asked;
      this.targets = targets;
      this.written = written;
      this.skipped = skipped;
    }

    @Override
    public OutputStream begin(int index) {
      delta.start(asked.get(index).path());
      return delta;
    }

    @Override
    public void end(int index) throws IOException {
      Request r = asked.get(index);
      try {
        written.add(patch(r, targets.get(index), delta.bytes()));
      } catch (ChangedMeanwhileException | FileSystemException e) {
        skipped.put(r.path(), retry(r.path(), e.getMessage()));
      } catch (DamagedDownloadException e) {
        skipped.put(r.path(), NotSynced.serverLacks(r.path().value(), e.getMessage()));
      }
    }

    /** A delta cut off mid-item is only in memory: drop it, so the item can come again. */
    @Override
    public boolean abandon(int index) {
      delta.start(asked.get(index).path());
      return true;
    }

    @Override
    public void notFound(int index, String message) {
      NotePath path = asked.get(index).path();
      skipped.put(path, NotSynced.serverLacks(path.value(), message));
    }
  }

  /**
   * Patches {@code delta} onto the local file (when the plan names a local base) into a new
   * temporary file next to {@code target}, checking the result's SHA-256. Not synced.
   */
  private Written patch(Request r, Path target, ByteArrayOutputStream delta) throws IOException {
    Path temp = files.tempFor(target);
    SignatureBuilder next = new SignatureBuilder(SignatureParams.forBasisLength(r.remote().size()));
    boolean done = false;
    try (FileChannel basis =
            r.localBase() == null
                ? null
                : FileChannel.open(target, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        FileChannel ch =
            FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      Basis b = basis == null ? Basis.of(new byte[0]) : Basis.of(basis);
      OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 64 * 1024);
      Patcher patcher = new Patcher(b, new SigningOutputStream(out, next));
      try {
        DeltaReader.read(new ByteArrayInputStream(delta.toByteArray()), patcher);
      } catch (io.vaultsync.core.format.FormatException e) {
        throw new DamagedDownloadException(
            "the server sent a malformed delta for " + r.path() + ": " + e.getMessage(), e);
      }
      if (!r.remote().hash().equals(patcher.verifiedHash())) {
        throw new DamagedDownloadException(
            "the server sent content "
                + patcher.verifiedHash()
                + " for "
                + r.remote().hash()
                + ", damaged",
            null);
      }
      out.flush();
      done = true;
    } finally {
      if (!done) {
        Files.deleteIfExists(temp);
      }
    }
    return new Written(r, target, temp, KeptSignature.of(next.finish()));
  }

  private static NotSynced retry(NotePath path, String reason) {
    return new NotSynced(path.value(), NotSynced.Kind.RETRY, reason);
  }

  /** Fsyncs every temporary file, on up to {@link #FSYNC_THREADS} threads. */
  private static void fsyncAll(List<Written> written) throws IOException {
    if (written.isEmpty()) {
      return;
    }
    int threads = Math.min(FSYNC_THREADS, written.size());
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> parts = new ArrayList<>(threads);
      for (int t = 0; t < threads; t++) {
        int first = t;
        parts.add(
            pool.submit(
                () -> {
                  for (int i = first; i < written.size(); i += threads) {
                    try (FileChannel ch =
                        FileChannel.open(written.get(i).temp, StandardOpenOption.WRITE)) {
                      ch.force(true);
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : parts) {
        try {
          f.get();
        } catch (ExecutionException e) {
          if (e.getCause() instanceof IOException io) {
            throw io;
          }
          throw new IOException("fsync of downloaded files failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while syncing downloaded files");
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * Fsyncs the folders the renames touched, and their parents up to the root: a folder created for
   * this batch is durable only once its parent's entry is.
   */
  private void fsyncFolders(Set<Path> folders) {
    Set<Path> all = new LinkedHashSet<>();
    Path root = files.root();
    for (Path dir : folders) {
      for (Path d = dir; d != null && d.startsWith(root) && all.add(d); d = d.getParent()) {
        if (d.equals(root)) {
          break;
        }
      }
    }
    for (Path d : all) {
      AtomicFiles.fsyncDirectory(d);
    }
  }

  /**
   * One delta at a time in memory, bounded: a delta of a file of at most {@link #MAX_FILE_BYTES} is
   * at most about that size (LZ4 never grows much), so a remote sending more is refused.
   */
  private static final class BoundedBuffer extends OutputStream {
    private static final long LIMIT = 2 * MAX_FILE_BYTES + (64 << 10);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    private NotePath path;

    void start(NotePath path) {
      this.path = path;
      buffer.reset();
    }

    ByteArrayOutputStream bytes() {
      return buffer;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (buffer.size() + (long) len > LIMIT) {
        throw new IOException(
            "the delta the remote sent for "
                + path
                + " has more than "
                + LIMIT
                + " bytes; expected at most that for a file of at most "
                + MAX_FILE_BYTES
                + " bytes");
      }
      buffer.write(b, off, len);
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }
  }
}
