package io.vaultsync.client.sync;

import io.vaultsync.client.merge.MergeResult;
import io.vaultsync.client.merge.TextFiles;
import io.vaultsync.client.merge.TextMerge;
import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.KeptSignature;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Executes one {@link SyncPlan}. Local steps first (moves, deletes, downloads, merges, conflict
 * copies), then the remote ones in {@link VaultTransport#commit} batches (moves, then deletes, then
 * uploads; files too large for a batch are streamed with {@link VaultTransport#push}).
 *
 * <p>Every step checks again, right before acting, that the local file is still the version the
 * plan saw, and is skipped otherwise (the next sync picks it up). Every file is written atomically
 * and never through a symbolic link. The index is saved after the local steps and after each batch,
 * and only ever records a version both the disk and the server hold durably; a crash in between
 * leaves the index behind the disk, and the next sync, deciding by hashes, finishes the work (a
 * file already equal on both sides is only recorded). So execution is idempotent.
 *
 * <p>Consecutive downloads of small files run as {@link DownloadBatch}es (one batched fetch and one
 * fsync round per batch), flushed before any other local step so the plan's order holds.
 *
 * <p>A move with an edit runs as two steps of the plan: locally a {@link SyncAction.MoveLocal} then
 * a {@link SyncAction.Download} against the moved file (which the download checks, as the scan
 * never saw it there); remotely a {@link Mutation.Move} then a {@link Mutation.Put} at the
 * destination with the moved version as base, in that order (the server applies a batch in order),
 * the delta encoded against the kept signature of the move's source.
 *
 * <p>Deletes the guard held back ({@link SyncAction.HeldBack}), and deletes the server refuses as a
 * mass delete ({@link MassDeleteRefusedException}: the batch is sent again without them), are left
 * undone and named ({@link NotSynced.Kind#HELD_BACK}); everything else goes on.
 *
 * <p>One instance per round; not thread-safe.
 *
 * <p>Over 400 lines: it carries out one plan, and its steps (batched uploads, downloads, moves,
 * deletes, conflict copies, merges, held-back deletes) share the plan's order and the tally of what
 * was left out; a class per step is open work.
 */
final class SyncExecutor {
  static final int MAX_BATCH_MUTATIONS = Limits.COMMIT_MUTATIONS;
  static final int MAX_BATCH_BYTES = Limits.INLINE_DELTA_BYTES;

  private final VaultTransport transport;
  private final VaultConfig config;
  private final StateFolder state;
  private final SafeFiles files;
  private final Transfers transfers;
  private final LocalIndex index;
  private final ScanResult scan;
  private final Clock clock;
  private final SyncTally tally;
  private final CommitOptions commitOptions;
  private final SyncProgress progress;

  /** Planned remote steps not reported done yet, by path, with their content bytes. */
  private final Map<NotePath, Long> pendingRemote = new LinkedHashMap<>();

  private final Set<NotePath> skipped = new TreeSet<>();

  /** Files this round moved here locally, as they are now (the scan saw them elsewhere). */
  private final Map<NotePath, ManifestEntry> movedHere = new HashMap<>();

  /** Destination → source of this round's moves on the server (a move with an edit uploads). */
  private final Map<NotePath, NotePath> movingTo = new HashMap<>();

  private final List<Long> appliedSeqs = new ArrayList<>();
  private int stale;
  private int committedBatches;

  /** Uploads the server refused lately (kept by the {@link Syncer} across rounds and syncs). */
  private final RefusedUploads refusedUploads;

  /** The server refused an upload for the vault's quota: later uploads are not tried this round. */
  private QuotaExceededException quotaFull;

  /** Small downloads waiting to run as one batch, and their content bytes. */
  private final List<DownloadBatch.Request> pendingDownloads = new ArrayList<>();

  private long pendingDownloadBytes;

  private final DownloadBatch downloads;

  /**
   * What the {@link Syncer} shares with each round's executor, the same across rounds and syncs.
   *
   * @param transport the connection to the server
   * @param clock names conflict copies
   * @param progress hears each step done
   * @param refusedUploads uploads the server refused lately
   */
  record Shared(
      VaultTransport transport, Clock clock, SyncProgress progress, RefusedUploads refusedUploads) {
    Shared {
      Objects.requireNonNull(transport, "transport");
      Objects.requireNonNull(clock, "clock");
      Objects.requireNonNull(progress, "progress");
      Objects.requireNonNull(refusedUploads, "refusedUploads");
    }
  }

  /**
   * An executor for one round of {@code run}: {@code index} is the folder's whole index (changed as
   * steps are done), {@code scan} what this round's scan saw.
   */
  SyncExecutor(Shared shared, SyncRun run, LocalIndex index, ScanResult scan) throws IOException {
    this.refusedUploads = shared.refusedUploads();
    this.commitOptions = run.options().commitOptions();
    this.progress = shared.progress();
    this.transport = shared.transport();
    this.config = run.config();
    this.state = run.state();
    this.files = run.files().withNames(scan.names()); // existing files keep their names on disk
    this.transfers = new Transfers(this.files, state.tempDir());
    this.downloads = new DownloadBatch(transport, config.vault(), this.files);
    this.index = index;
    this.scan = scan;
    this.clock = shared.clock();
    this.tally = run.tally();
  }

  /** Runs the plan; returns how many steps the server refused as stale (a re-plan is due). */
  int execute(SyncPlan plan) throws IOException {
    List<SyncAction> moves = new ArrayList<>();
    List<SyncAction> deletes = new ArrayList<>();
    List<SyncAction.Upload> uploads = new ArrayList<>();
    plan.leftOut().forEach(tally::leaveOut);
    announce(plan);
    for (SyncAction a : plan.actions()) {
      if (a instanceof SyncAction.Download d && d.remote().size() <= DownloadBatch.MAX_FILE_BYTES) {
        queueDownload(d);
        continue;
      }
      if (!isRemote(a)) {
        flushDownloads(); // local steps keep the plan's order
      }
      try {
        if (a instanceof SyncAction.MoveRemote) {
          moves.add(a);
        } else if (a instanceof SyncAction.DeleteRemote) {
          deletes.add(a);
        } else if (a instanceof SyncAction.Upload u) {
          uploads.add(u);
        } else {
          local(a, uploads);
        }
      } catch (UnsafePathException e) {
        skip(a.path(), NotSynced.Kind.NAME, e.getMessage());
      } catch (ChangedMeanwhileException | FileSystemException e) {
        skip(a.path(), e.getMessage());
      } catch (NotFoundException | DamagedDownloadException e) {
        leaveOut(NotSynced.serverLacks(a.path().value(), e.getMessage()));
      }
      if (!isRemote(a)) {
        progress.fileDone(a.path(), contentBytes(a));
      }
    }
    flushDownloads();
    if (!moves.isEmpty() || !deletes.isEmpty() || !uploads.isEmpty()) {
      state.writeIndex(index); // what the local steps did is kept if the server calls fail
    }
    try {
      remote(moves, deletes, uploads);
    } finally {
      pendingRemote.forEach(progress::fileDone); // stale, duplicate or not reached
      pendingRemote.clear();
    }
    long seq = plan.remote().safeSeq(skipped);
    if (seq == plan.remote().headSeq()) {
      appliedSeqs.sort(null);
      for (long s : appliedSeqs) {
        if (s == seq + 1) {
          seq = s;
        } else if (s > seq) {
          break;
        }
      }
    }
    index.setLastSeq(Math.max(seq, 0));
    state.writeIndex(index);
    return stale;
  }

  /** Adds a small download to the pending batch, running the batch when it is full. */
  private void queueDownload(SyncAction.Download d) throws IOException {
    if (pendingDownloads.size() >= DownloadBatch.MAX_FILES
        || pendingDownloadBytes + d.remote().size() > DownloadBatch.MAX_BYTES) {
      flushDownloads();
      state.writeIndex(index); // an interrupted clone keeps what its full batches wrote
    }
    pendingDownloads.add(
        new DownloadBatch.Request(d.path(), d.remote(), d.localBase(), scanned(d.path())));
    pendingDownloadBytes += d.remote().size();
  }

  /** Runs the pending downloads as one {@link DownloadBatch} and records what it wrote. */
  private void flushDownloads() throws IOException {
    if (pendingDownloads.isEmpty()) {
      return;
    }
    List<DownloadBatch.Request> batch = new ArrayList<>(pendingDownloads);
    pendingDownloads.clear();
    pendingDownloadBytes = 0;
    DownloadBatch.Result result;
    try {
      result = downloads.run(batch);
    } catch (NotFoundException e) {
      for (DownloadBatch.Request r : batch) {
        leaveOut(NotSynced.serverLacks(r.path().value(), e.getMessage()));
        progress.fileDone(r.path(), r.remote().size());
      }
      return;
    }
    for (IndexEntry e : result.written()) {
      index.put(e);
      tally.down();
    }
    result.skipped().forEach((path, why) -> skip(path, why.kind(), why.reason()));
    for (DownloadBatch.Request r : batch) {
      progress.fileDone(r.path(), r.remote().size());
    }
  }

  /** Tells {@link #progress} what this round will do; remote steps are reported when done. */
  private void announce(SyncPlan plan) {
    int steps = 0;
    long bytes = 0;
    for (SyncAction a : plan.actions()) {
      long n = contentBytes(a);
      if (isRemote(a)) {
        if (pendingRemote.putIfAbsent(a.path(), n) != null) {
          continue; // one report per path
        }
      }
      steps++;
      bytes += n;
    }
    progress.planned(steps, bytes);
  }

  /** Whether {@code a} is done on the server (and reported done after its batch). */
  private static boolean isRemote(SyncAction a) {
    return a instanceof SyncAction.MoveRemote
        || a instanceof SyncAction.DeleteRemote
        || a instanceof SyncAction.Upload;
  }

  /** The bytes of content a step reads or writes (0 for moves, deletes and skips). */
  static long contentBytes(SyncAction a) {
    if (a instanceof SyncAction.Upload u) {
      return u.local().size();
    } else if (a instanceof SyncAction.Download d) {
      return d.remote().size();
    } else if (a instanceof SyncAction.Merge m) {
      return m.local().size() + m.remote().size();
    } else if (a instanceof SyncAction.KeepBoth k) {
      return k.local().size() + k.remote().size();
    } else if (a instanceof SyncAction.Record r) {
      return r.now() != null ? r.now().size() : 0;
    }
    return 0;
  }

  /** A planned remote step is over (done, skipped or stale). */
  private void remoteDone(NotePath path) {
    Long n = pendingRemote.remove(path);
    if (n != null) {
      progress.fileDone(path, n);
    }
  }

  /**
   * The server refused {@code path}: no client could hold it there (below a file, where a folder of
   * files is). Named; not retried in this sync.
   */
  private void refused(NotePath path, String reason) {
    skip(path, NotSynced.Kind.SERVER, "the server refused it: " + reason);
  }

  /** Leaves {@code path} for the next sync ({@link NotSynced.Kind#RETRY}). */
  private void skip(NotePath path, String reason) {
    skip(path, NotSynced.Kind.RETRY, reason);
  }

  /** Leaves {@code path} out of this sync, saying why; its remote changes stay unapplied. */
  private void skip(NotePath path, NotSynced.Kind kind, String reason) {
    leaveOut(new NotSynced(path.value(), kind, reason));
  }

  /** Leaves {@code file} out of this sync; its remote changes stay unapplied. */
  private void leaveOut(NotSynced file) {
    skipped.add(NotePath.of(file.path()));
    tally.leaveOut(file);
  }

  // ---- local steps ----

  private void local(SyncAction a, List<SyncAction.Upload> uploads) throws IOException {
    if (a instanceof SyncAction.Skip s) {
      if (s.named()) {
        skipped.add(s.path()); // named with the plan's left-out files; held back all the same
      } else {
        skip(s.path(), s.kind(), s.reason());
      }
    } else if (a instanceof SyncAction.HeldBack h) {
      skip(h.path(), NotSynced.Kind.HELD_BACK, h.reason());
    } else if (a instanceof SyncAction.Record r) {
      record(r);
    } else if (a instanceof SyncAction.Download d) {
      index.put(
          transfers.download(
              transport, config.vault(), d.path(), d.remote(), d.localBase(), scanned(d.path())));
      tally.down();
    } else if (a instanceof SyncAction.DeleteLocal d) {
      deleteLocal(d);
    } else if (a instanceof SyncAction.MoveLocal m) {
      moveLocal(m);
    } else if (a instanceof SyncAction.Merge m) {
      merge(m, uploads);
    } else if (a instanceof SyncAction.KeepBoth k) {
      keepBoth(k.path(), k.local(), k.remote(), uploads);
    } else {
      throw new IllegalStateException("not a local step: " + a);
    }
  }

  /** The local file at {@code path} as the plan saw it (or as this round's local move left it). */
  private ManifestEntry scanned(NotePath path) {
    ManifestEntry moved = movedHere.get(path);
    return moved != null ? moved : scan.manifest().asMap().get(path);
  }

  private void record(SyncAction.Record r) throws IOException {
    if (r.now() == null) {
      index.remove(r.path());
      return;
    }
    Path file = files.file(r.path(), false);
    SignatureBuilder sig = new SignatureBuilder(SignatureParams.forBasisLength(r.now().size()));
    MessageDigest md = ContentHash.newDigest();
    BasicFileAttributes before = SafeFiles.attributes(file);
    long n = 0;
    try (InputStream in = SafeFiles.open(file)) {
      byte[] buf = new byte[64 * 1024];
      for (int k; (k = in.read(buf)) > 0; ) {
        sig.update(buf, 0, k);
        md.update(buf, 0, k);
        n += k;
      }
    }
    BasicFileAttributes after = SafeFiles.attributes(file);
    if (before == null
        || after == null
        || n != r.now().size()
        || !after.lastModifiedTime().equals(before.lastModifiedTime())
        || !ContentHash.finish(md).equals(r.now().hash())) {
      throw new ChangedMeanwhileException(r.path() + " changed while it was read");
    }
    index.put(
        new IndexEntry(
            r.path(),
            n,
            after.lastModifiedTime().toMillis(),
            r.now().hash(),
            KeptSignature.of(sig.finish())));
  }

  private void deleteLocal(SyncAction.DeleteLocal d) throws IOException {
    Path file = files.file(d.path(), false);
    Transfers.requireUnchanged(d.path(), file, scanned(d.path()));
    if (!d.expected().equals(SafeFiles.hash(file))) {
      throw new ChangedMeanwhileException(d.path() + " changed locally meanwhile");
    }
    Files.delete(file);
    AtomicFiles.fsyncDirectory(file.getParent());
    index.remove(d.path());
    files.pruneEmptyParents(d.path());
    tally.deleted();
  }

  private void moveLocal(SyncAction.MoveLocal m) throws IOException {
    Path from = files.file(m.path(), false);
    Transfers.requireUnchanged(m.path(), from, scanned(m.path()));
    Path to = files.file(m.to(), true);
    Transfers.requireUnchanged(m.to(), to, null);
    Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    AtomicFiles.fsyncDirectory(to.getParent());
    AtomicFiles.fsyncDirectory(from.getParent());
    IndexEntry old = index.get(m.path());
    BasicFileAttributes a = SafeFiles.attributes(to);
    index.remove(m.path());
    index.put(
        old != null && old.hash().equals(m.hash())
            ? old.movedTo(m.to(), a.lastModifiedTime().toMillis())
            : new IndexEntry(m.to(), a.size(), Long.MIN_VALUE, m.hash(), null));
    movedHere.put(
        m.to(), new ManifestEntry(m.to(), a.size(), a.lastModifiedTime().toMillis(), m.hash()));
    files.pruneEmptyParents(m.path());
    tally.moved();
  }

  private void merge(SyncAction.Merge m, List<SyncAction.Upload> uploads) throws IOException {
    if (m.local().size() > TextFiles.MAX_MERGE_BYTES
        || m.remote().size() > TextFiles.MAX_MERGE_BYTES) {
      keepBoth(m.path(), m.local(), m.remote(), uploads);
      return;
    }
    Path file = files.file(m.path(), false);
    byte[] local = readVerified(m.path(), file, m.local());
    byte[] base =
        m.base() == null
            ? new byte[0]
            : Transfers.fetchBytes(transport, config.vault(), m.base(), null, new byte[0]);
    byte[] remote =
        Transfers.fetchBytes(transport, config.vault(), m.remote().hash(), m.base(), base);
    tally.down();
    if (!TextFiles.isText(base) || !TextFiles.isText(local) || !TextFiles.isText(remote)) {
      keepBoth(m.path(), m.local(), m.remote(), uploads);
      return;
    }
    MergeResult result = TextMerge.merge(base, local, remote);
    if (!result.isClean()) {
      keepBoth(m.path(), m.local(), m.remote(), uploads);
      return;
    }
    byte[] merged = result.bytes();
    ContentHash mergedHash = ContentHash.digestOf(merged);
    ManifestEntry seen = scanned(m.path());
    files.writeAtomically(
        file,
        out -> {
          out.write(merged);
          out.flush();
          Transfers.requireUnchanged(m.path(), file, seen);
          return null;
        });
    KeptSignature remoteSig =
        KeptSignature.of(
            SignatureBuilder.of(remote, SignatureParams.forBasisLength(remote.length)));
    BasicFileAttributes a = SafeFiles.attributes(file);
    boolean sameAsRemote = mergedHash.equals(m.remote().hash());
    // The base becomes the remote version; unless the merge equals it, the file is a local edit
    // of it (mtime MIN_VALUE forces the next scan to hash it) and is uploaded below.
    index.put(
        new IndexEntry(
            m.path(),
            remote.length,
            sameAsRemote ? a.lastModifiedTime().toMillis() : Long.MIN_VALUE,
            m.remote().hash(),
            remoteSig));
    tally.merged();
    tally.absorbed.add(m.local().hash());
    if (!sameAsRemote) {
      uploads.add(
          new SyncAction.Upload(
              m.path(), m.remote().hash(), new Version(mergedHash, merged.length)));
    }
  }

  private byte[] readVerified(NotePath path, Path file, Version expected) throws IOException {
    byte[] data;
    try (InputStream in = SafeFiles.open(file)) {
      data = in.readNBytes(TextFiles.MAX_MERGE_BYTES + 1);
    }
    if (data.length != expected.size() || !ContentHash.digestOf(data).equals(expected.hash())) {
      throw new ChangedMeanwhileException(path + " changed locally meanwhile");
    }
    return data;
  }

  /**
   * Keeps the local version as a conflict copy (written first, from the verified local bytes, so it
   * exists before the original is replaced), then downloads the remote version to the path. If the
   * download fails otherwise than by a local change (a full disk, a lost connection), the original
   * is untouched and the copy is removed again: left behind, the next sync would read it as a new
   * local file and keep the same conflict a second time.
   */
  private void keepBoth(
      NotePath path, Version local, Version remote, List<SyncAction.Upload> uploads)
      throws IOException {
    Path file = files.file(path, false);
    ManifestEntry seen = scanned(path);
    Transfers.requireUnchanged(path, file, seen);
    NotePath copy =
        ConflictNames.next(path, config.device(), ZonedDateTime.now(clock), p -> taken(p));
    Path copyFile = files.file(copy, true);
    files.writeAtomically(
        copyFile,
        out -> {
          MessageDigest md = ContentHash.newDigest();
          try (InputStream in = SafeFiles.open(file)) {
            byte[] buf = new byte[64 * 1024];
            for (int n; (n = in.read(buf)) > 0; ) {
              out.write(buf, 0, n);
              md.update(buf, 0, n);
            }
          }
          if (!ContentHash.finish(md).equals(local.hash())) {
            throw new ChangedMeanwhileException(path + " changed locally meanwhile");
          }
          if (SafeFiles.attributes(copyFile) != null) {
            throw new ChangedMeanwhileException(copy + " appeared locally meanwhile");
          }
          return null;
        });
    IndexEntry downloaded;
    try {
      downloaded = transfers.download(transport, config.vault(), path, remote, null, seen);
    } catch (ChangedMeanwhileException e) {
      tally.conflict(copy); // the original changed again: keep (and upload) the copy
      uploads.add(new SyncAction.Upload(copy, null, local));
      throw e;
    } catch (IOException | RuntimeException e) {
      removeCopy(copyFile, local, e);
      throw e;
    }
    tally.conflict(copy);
    uploads.add(new SyncAction.Upload(copy, null, local));
    index.put(downloaded);
    tally.down();
  }

  /** Removes the conflict copy a failed step wrote, if it still holds what was written. */
  private static void removeCopy(Path copyFile, Version local, Exception failure) {
    try {
      if (local.hash().equals(SafeFiles.hash(copyFile))) {
        Files.delete(copyFile);
      }
    } catch (IOException e) {
      failure.addSuppressed(e);
    }
  }

  private boolean taken(NotePath p) {
    try {
      return index.get(p) != null
          || scan.manifest().contains(p)
          || SafeFiles.attributes(files.locate(p)) != null;
    } catch (IOException e) {
      return true;
    }
  }

  // ---- remote steps ----

  /** A mutation of a batch and what to record when it is applied. */
  private record Pending(Mutation mutation, PreparedUpload upload) {}

  private void remote(
      List<SyncAction> moves, List<SyncAction> deletes, List<SyncAction.Upload> uploads)
      throws IOException {
    List<Pending> batch = new ArrayList<>();
    long bytes = 0;
    for (SyncAction a : moves) {
      SyncAction.MoveRemote m = (SyncAction.MoveRemote) a;
      try {
        Transfers.requireUnchanged(m.to(), files.file(m.to(), false), scanned(m.to()));
        Transfers.requireUnchanged(m.path(), files.file(m.path(), false), null);
      } catch (ChangedMeanwhileException | UnsafePathException e) {
        skip(m.path(), e.getMessage());
        continue;
      }
      batch.add(new Pending(new Mutation.Move(m.path(), m.to(), m.hash()), null));
      movingTo.put(m.to(), m.path());
    }
    for (SyncAction a : deletes) {
      SyncAction.DeleteRemote d = (SyncAction.DeleteRemote) a;
      try {
        Transfers.requireUnchanged(d.path(), files.file(d.path(), false), null);
      } catch (ChangedMeanwhileException | UnsafePathException e) {
        skip(d.path(), e.getMessage());
        continue;
      }
      batch.add(new Pending(new Mutation.Delete(d.path(), d.expected()), null));
    }
    Set<NotePath> queued = new HashSet<>();
    for (SyncAction.Upload u : uploads) {
      if (!queued.add(u.path())) {
        continue;
      }
      if (quotaFull != null) {
        skipUpload(u.path(), u.local().hash(), quotaFull);
        continue;
      }
      String refusedLately = refusedUploads.reason(u.path(), u.local().hash());
      if (refusedLately != null) {
        skip(u.path(), NotSynced.Kind.SERVER, refusedLately);
        remoteDone(u.path());
        continue;
      }
      PreparedUpload p;
      try {
        p = transfers.prepareUpload(u.path(), u.base(), baseSignature(u), u.local());
      } catch (ChangedMeanwhileException | UnsafePathException | FileSystemException e) {
        skip(u.path(), e.getMessage());
        continue;
      }
      if (p.put() == null) {
        if (movingTo.containsKey(p.path()) && !batch.isEmpty()) {
          commit(batch); // the move must reach the server before the push at its destination
          batch.clear();
          bytes = 0;
        }
        push(p);
        continue;
      }
      if (batch.size() >= MAX_BATCH_MUTATIONS || bytes + p.put().deltaLength() > MAX_BATCH_BYTES) {
        commit(batch);
        batch.clear();
        bytes = 0;
      }
      batch.add(new Pending(p.put(), p));
      bytes += p.put().deltaLength();
    }
    if (!batch.isEmpty()) {
      commit(batch);
    }
  }

  /**
   * The kept signature of the version {@code u} replaces: the index's at its path, or, when a move
   * of this round brings that version to the path, the one kept at the move's source; null (encode
   * against nothing) if neither holds it.
   */
  private KeptSignature baseSignature(SyncAction.Upload u) {
    if (u.base() == null) {
      return null;
    }
    IndexEntry base = index.get(u.path());
    if (base == null && movingTo.containsKey(u.path())) {
      base = index.get(movingTo.get(u.path()));
    }
    return base != null && base.hash().equals(u.base()) ? base.signature() : null;
  }

  /**
   * Commits one batch and records its outcomes in the index (in memory). The index file is written
   * between batches, so a large upload interrupted halfway keeps what was acknowledged, and once at
   * the end of {@link #execute}: a one-batch sync (a live edit) writes it once, not twice.
   *
   * <p>When the server refuses the batch as a mass delete, its deletes are held back (named, left
   * for the next sync, their index entries kept) and the rest is sent again without them: a refusal
   * never blocks the uploads and moves of the same sync. The same for a file larger than the server
   * stores (that upload is left out) and for the vault's quota (the batch's uploads are left out,
   * no more are tried this round).
   */
  private void commit(List<Pending> batch) throws IOException {
    if (committedBatches++ > 0) {
      state.writeIndex(index); // the previous batch's outcomes
    }
    List<Pending> left = batch;
    boolean resentWhole = false;
    while (!left.isEmpty()) {
      List<Outcome> outcomes;
      try {
        outcomes = send(left);
      } catch (MassDeleteRefusedException e) {
        left = withoutDeletes(left, e);
        continue;
      } catch (FileTooLargeException e) {
        left = without(left, e.path(), e);
        continue;
      } catch (QuotaExceededException e) {
        left = withoutUploads(left, e);
        continue;
      } catch (NotFoundException e) {
        // The server lacks the base of an upload (lost or damaged there): its delta cannot be
        // applied, but the whole content sent against nothing can. Once, for this batch.
        List<Pending> whole = resentWhole ? null : againstNothing(left);
        if (whole == null) {
          throw e; // no upload had a base: it is the vault that is gone
        }
        resentWhole = true;
        left = whole;
        continue;
      }
      applyOutcomes(left, outcomes);
      return;
    }
  }

  /**
   * The batch without its deletes, which the server refused as a mass delete: they are held back
   * (named, left for the next sync, their index entries kept) and the rest is sent again. Rethrows
   * when mass deletes were allowed or the batch has no delete.
   */
  private List<Pending> withoutDeletes(List<Pending> batch, MassDeleteRefusedException e)
      throws MassDeleteRefusedException {
    List<Pending> deletes =
        batch.stream().filter(p -> p.mutation() instanceof Mutation.Delete).toList();
    if (commitOptions.allowMassDelete() || deletes.isEmpty()) {
      throw e;
    }
    GuardRefusal refusal =
        GuardRefusal.ofServer(e, deletes.stream().map(p -> p.mutation().path()).toList());
    String why = refusal.describe(files.root().toString());
    for (Pending d : deletes) {
      skip(d.mutation().path(), NotSynced.Kind.HELD_BACK, why);
      remoteDone(d.mutation().path());
    }
    return batch.stream().filter(p -> !(p.mutation() instanceof Mutation.Delete)).toList();
  }

  private List<Outcome> send(List<Pending> batch) throws IOException {
    return transport.commit(
        config.vault(),
        batch.stream().map(Pending::mutation).toList(),
        config.device(),
        commitOptions);
  }

  /**
   * The batch without the upload of {@code path}, which the server refused as too large (reported
   * as skipped, by name); the others are sent again. Rethrows if no upload of the batch has that
   * path (the server named another file: nothing sensible to retry).
   */
  private List<Pending> without(List<Pending> batch, String path, FileTooLargeException e)
      throws FileTooLargeException {
    List<Pending> rest = new ArrayList<>(batch.size());
    boolean found = false;
    for (Pending p : batch) {
      if (p.upload() != null && p.mutation().path().value().equals(path)) {
        found = true;
        skipUpload(p.mutation().path(), p.upload().entry().hash(), e);
      } else {
        rest.add(p);
      }
    }
    if (!found) {
      throw e;
    }
    return rest;
  }

  /** The batch's moves and deletes: its uploads do not fit the vault's quota (skipped, by name). */
  private List<Pending> withoutUploads(List<Pending> batch, QuotaExceededException e)
      throws QuotaExceededException {
    if (batch.stream().noneMatch(p -> p.upload() != null)) {
      throw e; // refused without an upload in it: nothing sensible to retry
    }
    quotaFull = e;
    List<Pending> rest = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.upload() != null) {
        skipUpload(p.mutation().path(), p.upload().entry().hash(), e);
      } else {
        rest.add(p);
      }
    }
    return rest;
  }

  /**
   * Reports an upload the server refused for one of its limits as not synced, by name, with the
   * server's reason (the quota's long message once per round; the files after it point to it).
   */
  private void skipUpload(NotePath path, ContentHash hash, java.io.IOException refusal) {
    String reason = "not uploaded: " + refusal.getMessage();
    if (refusal instanceof QuotaExceededException) {
      refusedUploads.remember(
          path,
          hash,
          "not uploaded: the vault's storage quota refused it a moment ago (tried again within "
              + RefusedUploads.FOR.toMinutes()
              + " minutes)");
      if (quotaSkips++ > 0) {
        reason = "not uploaded: the vault would go over its storage quota (see above)";
      }
    } else {
      refusedUploads.remember(path, hash, reason);
    }
    skip(path, NotSynced.Kind.SERVER, reason);
    remoteDone(path);
  }

  private int quotaSkips;

  /**
   * {@code batch} with every upload that has a base encoded again against nothing (read again from
   * disk; a file that changed meanwhile is left for the next sync), or null if none has a base.
   */
  private List<Pending> againstNothing(List<Pending> batch) throws IOException {
    if (batch.stream().noneMatch(p -> p.upload() != null && p.upload().base() != null)) {
      return null;
    }
    List<Pending> out = new ArrayList<>(batch.size());
    for (Pending p : batch) {
      if (p.upload() == null || p.upload().base() == null) {
        out.add(p);
        continue;
      }
      PreparedUpload whole = wholeContent(p.upload());
      if (whole == null) {
        continue;
      }
      if (whole.put() == null) {
        push(whole);
        continue;
      }
      out.add(new Pending(whole.put(), whole));
    }
    return out;
  }

  /** {@code u} encoded again against nothing, or null (left for the next sync) if it changed. */
  private PreparedUpload wholeContent(PreparedUpload u) throws IOException {
    try {
      return transfers.prepareUpload(
          u.path(), u.base(), null, new Version(u.entry().hash(), u.entry().size()));
    } catch (ChangedMeanwhileException | UnsafePathException | FileSystemException e) {
      skip(u.path(), e.getMessage());
      remoteDone(u.path());
      return null;
    }
  }

  private void applyOutcomes(List<Pending> batch, List<Outcome> outcomes) throws IOException {
    if (outcomes.size() != batch.size()) {
      throw new IOException(
          "server answered a batch of " + batch.size() + " with " + outcomes.size() + " outcomes");
    }
    for (int i = 0; i < batch.size(); i++) {
      Pending p = batch.get(i);
      Outcome o = outcomes.get(i);
      remoteDone(p.mutation().path());
      if (o instanceof Outcome.Stale) {
        stale++;
        continue;
      }
      if (o instanceof Outcome.Refused r) {
        refused(p.mutation().path(), r.reason());
        continue;
      }
      Change c = ((Outcome.Applied) o).change();
      appliedSeqs.add(c.seq());
      Mutation m = p.mutation();
      if (m instanceof Mutation.Move mv) {
        IndexEntry old = index.get(mv.path());
        BasicFileAttributes a = SafeFiles.attributes(files.file(mv.to(), false));
        index.remove(mv.path());
        ManifestEntry seen = scanned(mv.to());
        // A file moved and edited holds other content than the moved version: until its upload
        // is recorded, the entry must make the next scan hash the file (mtime MIN_VALUE).
        boolean same = seen != null && seen.hash().equals(mv.expected());
        index.put(
            old != null && old.hash().equals(mv.expected()) && a != null
                ? old.movedTo(mv.to(), same ? seen.mtimeMillis() : Long.MIN_VALUE)
                : new IndexEntry(mv.to(), c.size(), Long.MIN_VALUE, c.hash(), null));
        tally.moved();
      } else if (m instanceof Mutation.Delete) {
        index.remove(m.path());
        tally.deleted();
      } else {
        index.put(p.upload().entry());
        tally.up();
      }
    }
  }

  private void push(PreparedUpload p) throws IOException {
    try (InputStream in = Files.newInputStream(p.deltaFile())) {
      RemoteEntry e;
      try {
        e = transport.push(config.vault(), p.path(), p.base(), in, config.device());
      } catch (NotFoundException missingBase) {
        if (p.base() == null) {
          throw missingBase;
        }
        // As in commit: the server lacks the base; send the content against nothing, once.
        PreparedUpload whole = wholeContent(p);
        if (whole == null) {
          return;
        }
        if (whole.put() != null) {
          commit(new ArrayList<>(List.of(new Pending(whole.put(), whole))));
          return;
        }
        try (InputStream again = Files.newInputStream(whole.deltaFile())) {
          e = transport.push(config.vault(), p.path(), p.base(), again, config.device());
          index.put(whole.entry());
        } finally {
          Files.deleteIfExists(whole.deltaFile());
        }
        appliedSeqs.add(e.seq());
        tally.up();
        state.writeIndex(index);
        return;
      }
      appliedSeqs.add(e.seq());
      index.put(p.entry());
      tally.up();
      state.writeIndex(index);
    } catch (StaleVersionException e) {
      stale++;
    } catch (FileTooLargeException e) {
      skipUpload(p.path(), p.entry().hash(), e);
    } catch (QuotaExceededException e) {
      quotaFull = e;
      skipUpload(p.path(), p.entry().hash(), e);
    } catch (PathRefusedException e) {
      refused(p.path(), e.reason());
    } finally {
      Files.deleteIfExists(p.deltaFile());
      remoteDone(p.path());
    }
  }
}
