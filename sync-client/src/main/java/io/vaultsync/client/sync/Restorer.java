package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Brings old versions back as new changes: the content is fetched by hash (any stored version),
 * written into the folder atomically, and committed by the ordinary {@link Syncer} (a delta against
 * the kept signature, one new ledger entry per file, this device's), so history is kept and the
 * index, last seq and echo rules stay those of a sync.
 *
 * <p>Never loses an edit: a restore is refused ({@link LocalChangesException}, nothing changed)
 * when a file it would replace or delete differs from what this folder last synced. Before writing,
 * the folder is brought up to date with the server by a sync, so the restore is an edit on top of
 * the head rather than a conflict with it.
 */
public final class Restorer {
  private final VaultTransport transport;
  private final Clock clock;
  private final SyncProgress progress;

  public Restorer(VaultTransport transport, Clock clock) {
    this(transport, clock, SyncProgress.NONE);
  }

  /**
   * A restorer that tells {@code progress} how far its syncs and a whole-vault restore's downloads
   * have got ({@link SyncProgress#finished} after each).
   */
  public Restorer(VaultTransport transport, Clock clock, SyncProgress progress) {
    this.progress = Objects.requireNonNull(progress, "progress");
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * What a single-file restore did; {@code notSynced}: files its sync left out (it names each, and
   * the command then exits 7).
   */
  public record FileRestore(
      NotePath path, Change version, boolean changed, long seq, List<NotSynced> notSynced) {
    public FileRestore {
      notSynced = List.copyOf(notSynced);
    }
  }

  /**
   * The last recorded version of {@code path} at or before {@code atSeq} (for a DELETE or a move
   * away, the content that was deleted or moved), if any is kept.
   */
  public Optional<Change> versionAt(String vault, NotePath path, long atSeq) throws IOException {
    long before = atSeq == Long.MAX_VALUE ? Long.MAX_VALUE : atSeq + 1;
    List<Change> page = transport.history(vault, path, before, 1);
    return page.isEmpty() ? Optional.empty() : Optional.of(page.get(0));
  }

  /**
   * Restores {@code path} to {@link #versionAt} {@code atSeq} as a new change.
   *
   * @throws IllegalArgumentException if the server keeps no version of {@code path} at or before
   *     {@code atSeq}
   * @throws LocalChangesException if the local file has edits not yet synced
   */
  public FileRestore restoreFile(Path folder, NotePath path, long atSeq) throws IOException {
    StateFolder state = StateFolder.of(folder);
    String vault = state.config().vault();
    Change version =
        versionAt(vault, path, atSeq)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "the server keeps no version of \""
                            + path
                            + "\" at or before seq "
                            + atSeq));
    Path root = folder.toRealPath();
    // A note whose name on disk is not NFC (NFD) is restored under the name it has.
    SafeFiles files =
        new SafeFiles(root, state.tempDir())
            .withNames(requireFolderScan(root, state, false).names());
    requireClean(files, state.readIndex(), List.of(path));
    ContentHash current = currentHash(vault, path);
    IndexEntry synced = state.readIndex().get(path);
    if (!Objects.equals(current, synced == null ? null : synced.hash())) {
      new Syncer(transport, clock, progress).sync(folder); // bring this path up to the head first
      requireClean(files, state.readIndex(), List.of(path));
      current = currentHash(vault, path);
      synced = state.readIndex().get(path);
      if (!Objects.equals(current, synced == null ? null : synced.hash())) {
        throw new LocalChangesException(
            "\"" + path + "\" could not be brought up to the server's version; sync and try again");
      }
    }
    if (version.hash().equals(current)) {
      return new FileRestore(path, version, false, state.readIndex().lastSeq(), List.of());
    }
    download(state, files, vault, path, version.hash(), current);
    SyncReport report = new Syncer(transport, clock, progress).sync(folder, Set.of(path));
    return new FileRestore(path, version, true, report.seq(), report.notSynced());
  }

  /**
   * What restoring the whole vault to {@code atSeq} would change, from the server's head and its
   * manifest at that seq; changes nothing.
   */
  public RestorePlan planAll(Path folder, long atSeq) throws IOException {
    StateFolder state = StateFolder.of(folder);
    String vault = state.config().vault();
    IgnoreRules rules = IgnoreRules.load(folder.toRealPath());
    RemoteManifest target = transport.manifestAt(vault, atSeq);
    RemoteManifest head = transport.manifest(vault);
    int[] ignored = {0};
    Map<NotePath, RemoteEntry> t = byPath(target, rules, ignored);
    Map<NotePath, RemoteEntry> h = byPath(head, rules, ignored);
    return RestorePlan.between(target.headSeq(), head.headSeq(), h, t, ignored[0]);
  }

  /**
   * Restores the whole vault to {@code atSeq} as new changes by this device: refuses if any file
   * has edits not yet synced, syncs, writes the versions of that seq into the folder and deletes
   * what did not exist then, and syncs once more allowing the deletes (the user asked for them).
   *
   * @return the plan that was applied (empty when the vault already matched) and the final sync
   */
  public AllRestore restoreAll(Path folder, long atSeq) throws IOException {
    StateFolder state = StateFolder.of(folder);
    String vault = state.config().vault();
    Path root = folder.toRealPath();
    requireFolderScan(root, state, true);
    Syncer syncer = new Syncer(transport, clock, progress);
    syncer.sync(folder);
    // A note whose name on disk is not NFC (NFD) is restored under the name it has.
    SafeFiles files =
        new SafeFiles(root, state.tempDir())
            .withNames(requireFolderScan(root, state, true).names());
    RestorePlan plan = planAll(folder, atSeq);
    LocalIndex index = state.readIndex();
    Set<NotePath> touched = new HashSet<>();
    List<RemoteEntry> puts = new ArrayList<>(plan.bringBack());
    puts.addAll(plan.change());
    try {
      progress.planned(
          puts.size() + plan.delete().size(), puts.stream().mapToLong(RemoteEntry::size).sum());
      List<DownloadBatch.Request> batch = new ArrayList<>();
      long batchBytes = 0;
      DownloadBatch downloads = new DownloadBatch(transport, vault, files);
      for (RemoteEntry e : puts) {
        IndexEntry synced = index.get(e.path());
        if (e.size() > DownloadBatch.MAX_FILE_BYTES) {
          download(state, files, vault, e.path(), e.hash(), synced == null ? null : synced.hash());
          touched.add(e.path());
          progress.fileDone(e.path(), e.size());
          continue;
        }
        if (batch.size() >= DownloadBatch.MAX_FILES
            || batchBytes + e.size() > DownloadBatch.MAX_BYTES) {
          restoreBatch(downloads, batch, touched);
          batch.clear();
          batchBytes = 0;
        }
        batch.add(restoreRequest(files, e, synced));
        batchBytes += e.size();
      }
      restoreBatch(downloads, batch, touched);
      for (RemoteEntry e : plan.delete()) {
        Path file = files.file(e.path(), false);
        Files.deleteIfExists(file);
        files.pruneEmptyParents(e.path());
        touched.add(e.path());
        progress.fileDone(e.path(), 0);
      }
    } finally {
      progress.finished();
    }
    SyncReport report =
        plan.isEmpty() ? null : syncer.sync(folder, SyncOptions.ALLOW_MASS_DELETE, touched);
    return new AllRestore(plan, report);
  }

  /** A whole-vault restore: what it changed and the sync that committed it (null: nothing). */
  public record AllRestore(RestorePlan plan, SyncReport report) {}

  private static Map<NotePath, RemoteEntry> byPath(
      RemoteManifest m, IgnoreRules rules, int[] ignored) {
    Map<NotePath, RemoteEntry> out = new HashMap<>();
    for (RemoteEntry e : m.entries()) {
      if (rules.excludes(e.path(), false)) {
        ignored[0]++;
      } else {
        out.put(e.path(), e);
      }
    }
    return out;
  }

  /** The hash of {@code path} at the server's head, or null when no file is there. */
  private ContentHash currentHash(String vault, NotePath path) throws IOException {
    List<Change> newest = transport.history(vault, path, Long.MAX_VALUE, 1);
    if (newest.isEmpty()) {
      return null;
    }
    Change c = newest.get(0);
    boolean gone =
        c.op() == Change.Op.DELETE || (c.op() == Change.Op.MOVE && !c.path().equals(path));
    return gone ? null : c.hash();
  }

  /** Refuses when any of {@code paths} differs on disk from what the index says was synced. */
  private static void requireClean(SafeFiles files, LocalIndex index, List<NotePath> paths)
      throws IOException {
    for (NotePath path : paths) {
      IndexEntry synced = index.get(path);
      ContentHash onDisk = SafeFiles.hash(files.file(path, false));
      if (!Objects.equals(onDisk, synced == null ? null : synced.hash())) {
        throw new LocalChangesException(
            "\""
                + path
                + "\" has "
                + (synced == null
                    ? "a local file never synced"
                    : onDisk == null
                        ? "a local delete not yet synced"
                        : "local edits not yet synced")
                + "; sync (or move it aside) first, nothing was changed");
      }
    }
  }

  /**
   * Scans the folder; with {@code clean}, refuses when any file of it differs from what the index
   * says was synced.
   */
  private static ScanResult requireFolderScan(Path root, StateFolder state, boolean clean)
      throws IOException {
    LocalIndex index = state.readIndex();
    IgnoreRules rules = IgnoreRules.load(root);
    ScanResult scan = LocalScan.scan(root, index.manifest(), false, rules);
    if (!clean) {
      return scan;
    }
    List<String> dirty = new ArrayList<>();
    Map<NotePath, ContentHash> local = new HashMap<>();
    for (ManifestEntry e : scan.manifest().entries()) {
      local.put(e.path(), e.hash());
    }
    for (ManifestEntry e : scan.manifest().entries()) {
      IndexEntry synced = index.get(e.path());
      if (synced == null || !synced.hash().equals(e.hash())) {
        dirty.add(e.path().value());
      }
    }
    for (IndexEntry e : index.entries().values()) {
      if (!local.containsKey(e.path()) && !rules.excludes(e.path(), false)) {
        dirty.add(e.path().value());
      }
    }
    if (!dirty.isEmpty()) {
      throw new LocalChangesException(
          dirty.size()
              + " file(s) have local changes not yet synced ("
              + String.join(", ", dirty.subList(0, Math.min(5, dirty.size())))
              + (dirty.size() > 5 ? ", …" : "")
              + "); sync first, nothing was changed");
    }
    return scan;
  }

  /**
   * A batched download of {@code e} over the file as it is on disk now (the folder was checked to
   * hold what the index says): a delta against the synced version when the file exists.
   */
  private static DownloadBatch.Request restoreRequest(
      SafeFiles files, RemoteEntry e, IndexEntry synced) throws IOException {
    BasicFileAttributes now = SafeFiles.attributes(files.file(e.path(), false));
    boolean haveBase = synced != null && now != null && now.isRegularFile();
    ManifestEntry expected =
        now == null
            ? null
            : new ManifestEntry(
                e.path(),
                now.size(),
                now.lastModifiedTime().toMillis(),
                synced != null ? synced.hash() : e.hash());
    return new DownloadBatch.Request(
        e.path(), new Version(e.hash(), e.size()), haveBase ? synced.hash() : null, expected);
  }

  /** Downloads {@code batch}; a file it had to skip fails the restore, naming it. */
  private void restoreBatch(
      DownloadBatch downloads, List<DownloadBatch.Request> batch, Set<NotePath> touched)
      throws IOException {
    if (batch.isEmpty()) {
      return;
    }
    DownloadBatch.Result result = downloads.run(batch);
    for (IndexEntry written : result.written()) {
      touched.add(written.path());
    }
    for (DownloadBatch.Request r : batch) {
      progress.fileDone(r.path(), r.remote().size());
    }
    if (!result.skipped().isEmpty()) {
      var first = result.skipped().entrySet().iterator().next();
      throw new IOException(
          "could not restore \""
              + first.getKey()
              + "\": "
              + first.getValue().reason()
              + (result.skipped().size() > 1
                  ? " (and " + (result.skipped().size() - 1) + " more)"
                  : "")
              + "; the files restored so far are kept, run restore again");
    }
  }

  /**
   * Writes the stored version {@code target} to {@code path}: a delta against {@code base} (the
   * version on disk, which the index says is {@code base}; null: none) streamed into a temporary
   * file, patched into another and renamed over the file only when its SHA-256 checked out.
   */
  private void download(
      StateFolder state,
      SafeFiles files,
      String vault,
      NotePath path,
      ContentHash target,
      ContentHash base)
      throws IOException {
    Path file = files.file(path, true);
    boolean haveBase = base != null && Files.exists(file);
    Path tempDir = state.tempDir();
    Path delta = Files.createTempFile(tempDir, ".vstmp-restore-", ".delta");
    Path empty = null;
    try {
      try (OutputStream out = new RestartableDeltaFile(delta)) {
        transport.fetch(vault, target, haveBase ? base : null, out);
      }
      Path basis = haveBase ? file : (empty = Files.createTempFile(tempDir, ".vstmp-empty-", ""));
      ContentHash got;
      try (InputStream in = Files.newInputStream(delta)) {
        got = Deltas.patch(basis, in, file);
      }
      if (!got.equals(target)) {
        throw new IOException(
            "restored \"" + path + "\" hashes to " + got.hex() + ", expected " + target.hex());
      }
    } finally {
      Files.deleteIfExists(delta);
      if (empty != null) {
        Files.deleteIfExists(empty);
      }
    }
  }
}
