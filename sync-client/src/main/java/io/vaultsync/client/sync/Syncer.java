package io.vaultsync.client.sync;

import io.vaultsync.client.remote.WireCounter;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.client.state.VaultConfig;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * One-shot two-way sync of a vault folder: read the index, ask the server what changed since the
 * last seq (one call when nothing did; the whole manifest only on the first sync, when the server
 * no longer has the seqs asked for, or when the ignore rules changed since the last sync), scan the
 * folder (a stat per unchanged file; ignored paths left out), plan, pair files that were moved and
 * edited ({@link MovePairing}; then plan again with the pairs), let {@link MassDeleteGuard} hold
 * back the deletes it refuses, execute the rest. When the server refused steps as stale (someone
 * changed those files meanwhile) it plans again, up to {@value #MAX_ROUNDS} rounds; every round's
 * plan is checked.
 *
 * <p>The ignore rules are the built-in defaults plus the folder's {@value IgnoreRules#FILE_NAME} as
 * it is on disk when the sync starts (a changed file downloaded by this sync applies from the next
 * one).
 *
 * <p>It runs the rounds of one sync (scan, plan, execute, plan again after a stale outcome), the
 * watcher's scoped cycles and the state that carries between rounds; planning is {@link
 * SyncPlanner}'s and {@link RoundPlanning}'s, reading the feed {@link FeedPages}', execution {@link
 * SyncExecutor}'s. It takes the whole {@link VaultTransport}: besides its {@link
 * io.vaultsync.protocol.SyncProtocol} role it reads the newest snapshot ({@link
 * io.vaultsync.protocol.HistoryProtocol}) to catch up past a compacted ledger ({@link
 * SnapshotCatchUp}).
 */
public final class Syncer {
  static final int MAX_ROUNDS = 4;

  private final VaultTransport transport;
  private final Clock clock;
  private final SyncProgress progress;
  private final RefusedUploads refusedUploads = new RefusedUploads();
  private boolean keepIndex;
  private Path keptFolder;
  private LocalIndex kept;
  private final LeftOutMemory leftOut = new LeftOutMemory();
  private StreamedChanges streamed;

  /** Content the server asked back on the change pages this sync read ({@link GiveBack}). */
  private final Set<ContentHash> wanted = new java.util.LinkedHashSet<>();

  public Syncer(VaultTransport transport, Clock clock) {
    this(transport, clock, SyncProgress.NONE);
  }

  /** A syncer that tells {@code progress} how far each sync has got. */
  public Syncer(VaultTransport transport, Clock clock, SyncProgress progress) {
    this.transport = Objects.requireNonNull(transport, "transport");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /**
   * This syncer, keeping the index in memory between syncs of one folder (a watch loop): each sync
   * uses the kept copy while the index files on disk are still what it last read or saved (a stat),
   * and reads them again otherwise or after a sync failed.
   */
  public Syncer keepingIndex() {
    keepIndex = true;
    return this;
  }

  /**
   * This syncer, folding the changes {@code streamed} holds (a watch loop's subscription) in the
   * first round of a scoped sync instead of asking the server for them again; the server is asked
   * when they do not cover everything after the index's seq, and in every later round.
   */
  public Syncer streaming(StreamedChanges streamed) {
    this.streamed = Objects.requireNonNull(streamed, "streamed");
    return this;
  }

  /**
   * The index of {@code state}'s folder: the kept copy while it is current ({@link #keepingIndex}),
   * else read from disk (and kept, if keeping). Callers must not change it.
   */
  public LocalIndex index(StateFolder state) throws IOException {
    Path folder = state.root();
    if (keepIndex && kept != null && folder.equals(keptFolder) && state.indexIsCurrent(kept)) {
      return kept;
    }
    kept = null;
    LocalIndex index = state.readIndex();
    if (keepIndex) {
      kept = index;
      keptFolder = folder;
    }
    return index;
  }

  /** The plan a sync of {@code folder} would execute now; changes nothing. */
  public SyncPlan status(Path folder) throws IOException {
    return preview(folder, SyncOptions.DEFAULTS).plan();
  }

  /**
   * The plan a sync of {@code folder} with {@code options} would execute now, and whether the guard
   * would refuse it; changes nothing.
   */
  public SyncPreview preview(Path folder, SyncOptions options) throws IOException {
    StateFolder state = StateFolder.of(folder);
    VaultConfig config = state.config();
    DeleteLimits limits = limits(state, options);
    LocalIndex index = state.readIndex();
    Path root = folder.toRealPath();
    IgnoreRules rules = IgnoreRules.load(root);
    RemoteView remote = remoteView(config.vault(), index, IgnoreFingerprint.changed(state, rules));
    ScanResult scan = LocalScan.scan(root, index.manifest(), false, rules);
    SyncPlan plan =
        RoundPlanning.plan(index, scan, remote, rules, new SafeFiles(root, state.tempDir()));
    List<GuardRefusal> held =
        RoundPlanning.guard(plan, RoundPlanning.counts(scan, index, index, plan), options, limits);
    return new SyncPreview(
        MassDeleteGuard.holdBack(plan, held, folder.toString()), held, rules.problems());
  }

  /** Syncs {@code folder} with its vault, refusing mass deletes. */
  public SyncReport sync(Path folder) throws IOException {
    return sync(folder, SyncOptions.DEFAULTS, Set.of());
  }

  /**
   * Syncs {@code folder}, hashing the files at {@code rehash} even when their size and mtime equal
   * the index's: a file watcher saw them change, and a same-size edit within the file system's
   * mtime granularity would otherwise look unchanged. Mass deletes are refused.
   */
  public SyncReport sync(Path folder, Set<NotePath> rehash) throws IOException {
    return sync(folder, SyncOptions.DEFAULTS, rehash);
  }

  /** Syncs {@code folder} with its vault with {@code options}. */
  public SyncReport sync(Path folder, SyncOptions options) throws IOException {
    return sync(folder, options, Set.of());
  }

  /**
   * Syncs {@code folder} with its vault: the one-shot sync and each cycle of a watch loop.
   *
   * @param options whether mass deletes are allowed, and the limits; deletes beyond them are held
   *     back ({@link NotSynced.Kind#HELD_BACK} in the report) while the rest of the plan runs
   * @param rehash files to hash even when their size and mtime equal the index's (a file watcher
   *     saw them change)
   */
  public SyncReport sync(Path folder, SyncOptions options, Set<NotePath> rehash)
      throws IOException {
    return sync(folder, options, rehash, LocalScope.ALL);
  }

  /**
   * As {@link #sync(Path, SyncOptions, Set)}, looking only at what {@code scope} covers plus the
   * paths whose server version differs from the index (a watch cycle after file events or feed
   * changes); every other file is taken to be as the index has it.
   */
  public SyncReport sync(Path folder, SyncOptions options, Set<NotePath> rehash, LocalScope scope)
      throws IOException {
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(rehash, "rehash");
    Objects.requireNonNull(scope, "scope");
    Start start = new Start(System.nanoTime(), sent(), received());
    StateFolder state = StateFolder.of(folder);
    VaultConfig config = state.config();
    DeleteLimits limits = limits(state, options);
    try (AutoCloseable lock = state.lock()) {
      state.removeLeftovers(clock.instant());
      Path root = folder.toRealPath();
      SyncRun run =
          new SyncRun(
              folder,
              root,
              state,
              config,
              options,
              limits,
              IgnoreRules.load(root),
              new SafeFiles(root, state.tempDir()),
              new SyncTally());
      return sync(run, rehash, scope, start);
    } catch (IOException | RuntimeException e) {
      kept = null; // what a failed sync left in memory may differ from the disk
      throw e;
    } catch (Exception e) {
      throw new IOException("releasing the sync lock of " + folder + " failed", e);
    } finally {
      progress.finished();
    }
  }

  /** Where a sync started: its time and the transport's byte counts then. */
  private record Start(long nanos, long sent, long received) {}

  private SyncReport sync(SyncRun run, Set<NotePath> rehash, LocalScope scope, Start start)
      throws IOException {
    StateFolder state = run.state();
    VaultConfig config = run.config();
    IgnoreRules rules = run.rules();
    SyncTally tally = run.tally();
    LocalIndex index = index(state);
    boolean wholeManifest = IgnoreFingerprint.changed(state, rules);
    wanted.clear();
    LocalScope lastLooked = LocalScope.ALL;
    for (int round = 1; round <= MAX_ROUNDS; round++) {
      tally.notSynced.clear();
      ChangesAfter feed = null;
      if (!scope.full() && !wholeManifest && index.lastSeq() > 0) {
        feed = round == 1 && streamed != null ? streamed.after(index.lastSeq()) : null;
        if (feed == null) {
          feed = feed(config.vault(), index);
        }
        LocalScope looked = feed == null ? LocalScope.ALL : scope.plus(feed.paths());
        lastLooked = looked;
        if (!looked.full()) {
          Set<NotePath> scoped = round == 1 ? rehash : Set.of();
          int stale = scopedRound(run, index, feed, looked, scoped);
          if (stale == 0) {
            break;
          }
          continue;
        }
      }
      RemoteView remote =
          feed != null
              ? RemoteView.fold(index, feed.changes(), feed.head())
              : remoteView(config.vault(), index, wholeManifest);
      Manifest previous = withoutRehashed(index.manifest(), round == 1 ? rehash : Set.of());
      LocalScope looked = scope.full() ? scope : scope.plus(changedRemotely(index, remote));
      lastLooked = looked;
      ScanResult scan =
          looked.full()
              ? LocalScan.scan(run.root(), previous, true, rules)
              : LocalScan.scan(run.root(), previous, false, rules, looked, index.manifest());
      SyncPlan plan = RoundPlanning.plan(index, scan, remote, rules, run.files());
      List<GuardRefusal> held =
          RoundPlanning.guard(
              plan, RoundPlanning.counts(scan, index, index, plan), run.options(), run.limits());
      plan = MassDeleteGuard.holdBack(plan, held, run.folder().toString());
      int stale = executor(run, index, scan).execute(plan);
      wholeManifest = false;
      if (stale == 0) {
        break;
      }
    }
    String fingerprint = IgnoreFingerprint.of(rules);
    if (!fingerprint.equals(state.ignoreFingerprint())) {
      state.writeIgnoreFingerprint(fingerprint); // a no-op sync writes nothing
    }
    List<NotePath> givenBack =
        wanted.isEmpty()
            ? List.of()
            : GiveBack.run(
                transport,
                config.vault(),
                config.device(),
                new Transfers(run.files(), state.tempDir()),
                index,
                wanted);
    List<NotSynced> notSynced =
        keepIndex ? leftOut.after(tally.notSynced, lastLooked) : tally.notSynced;
    return new SyncReport(
        tally.counts(),
        new SyncReport.Listed(tally.conflicts, tally.absorbed, notSynced, givenBack),
        new SyncReport.Traffic(
            sent() - start.sent(),
            received() - start.received(),
            (System.nanoTime() - start.nanos()) / 1_000_000),
        index.lastSeq());
  }

  /**
   * One round of a scoped cycle in O(changes): the index's entries under {@code looked} (the paths
   * events named plus every path the feed touched) are the whole problem. Every other path has the
   * same version in the index, on the server (no change touched it) and in the folder (taken as the
   * index has it), so it cannot take part in the plan; the guard still counts the whole vault (the
   * part's files plus every other file of the index, on each side), not the part: a burst of
   * renames in a large vault is not "12 of 12 files".
   */
  private int scopedRound(
      SyncRun run, LocalIndex index, ChangesAfter feed, LocalScope looked, Set<NotePath> rehash)
      throws IOException {
    LocalIndex part = index.part(looked.paths());
    RemoteView remote = RemoteView.fold(part, feed.changes(), feed.head());
    Manifest base = part.manifest();
    Manifest previous = withoutRehashed(base, rehash);
    ScanResult scan = LocalScan.scan(run.root(), previous, false, run.rules(), looked, base);
    SyncPlan plan = RoundPlanning.plan(part, scan, remote, run.rules(), run.files());
    List<GuardRefusal> held =
        RoundPlanning.guard(
            plan, RoundPlanning.counts(scan, index, part, plan), run.options(), run.limits());
    plan = MassDeleteGuard.holdBack(plan, held, run.folder().toString());
    return executor(run, index, scan).execute(plan);
  }

  private SyncExecutor executor(SyncRun run, LocalIndex index, ScanResult scan) throws IOException {
    return new SyncExecutor(
        new SyncExecutor.Shared(transport, clock, progress, refusedUploads), run, index, scan);
  }

  /**
   * {@code manifest} without the entries of {@code rehash}, so the scan reads those files again
   * instead of trusting their size and mtime.
   */
  private static Manifest withoutRehashed(Manifest manifest, Set<NotePath> rehash) {
    return rehash.isEmpty()
        ? manifest
        : Manifest.of(manifest.entries().stream().filter(e -> !rehash.contains(e.path())).toList());
  }

  /**
   * The changes since the index's seq, or null when they cannot be folded over the index (the
   * server compacted its ledger past that seq or the ledger has a gap): then the caller builds the
   * view the one-shot way, from a snapshot or the manifest.
   */
  ChangesAfter feed(String vault, LocalIndex index) throws IOException {
    return FeedPages.after(
            transport,
            vault,
            index.lastSeq(),
            wanted,
            new FolderMoveExpansion(transport, vault, index))
        .changes();
  }

  /** The paths whose server version differs from the index's base (changed, added, deleted). */
  static Set<NotePath> changedRemotely(LocalIndex index, RemoteView remote) {
    Set<NotePath> changed = new TreeSet<>();
    for (var e : remote.files().entrySet()) {
      var base = index.get(e.getKey());
      if (base == null || !base.hash().equals(e.getValue().hash())) {
        changed.add(e.getKey());
      }
    }
    for (NotePath p : index.entries().keySet()) {
      if (remote.get(p) == null) {
        changed.add(p);
      }
    }
    return changed;
  }

  private static DeleteLimits limits(StateFolder state, SyncOptions options) throws IOException {
    return options.limits() != null ? options.limits() : state.deleteLimits();
  }

  /**
   * The server's state: changes since the index's seq folded over it, or the manifest on a first
   * sync, when the ledger has a gap (the server compacted it or was restored from a backup) or when
   * {@code whole} says so.
   */
  RemoteView remoteView(String vault, LocalIndex index, boolean whole) throws IOException {
    if (whole && index.lastSeq() > 0) {
      return RemoteView.of(transport.manifest(vault), index.lastSeq());
    }
    return remoteView(vault, index);
  }

  /**
   * The server's state: changes since the index's seq folded over it; when the server compacted its
   * ledger past that seq, its newest snapshot plus the changes after it ({@link SnapshotCatchUp});
   * the manifest on a first sync or any other gap (a restored backup).
   */
  RemoteView remoteView(String vault, LocalIndex index) throws IOException {
    if (index.lastSeq() == 0) {
      return RemoteView.of(transport.manifest(vault), 0);
    }
    FeedPages.Read read =
        FeedPages.after(
            transport,
            vault,
            index.lastSeq(),
            wanted,
            new FolderMoveExpansion(transport, vault, index));
    if (read.changes() != null) {
      return RemoteView.fold(index, read.changes().changes(), read.changes().head());
    }
    RemoteView fromSnapshot =
        read.compacted() ? SnapshotCatchUp.view(transport, vault, index) : null;
    return fromSnapshot != null
        ? fromSnapshot
        : RemoteView.of(transport.manifest(vault), index.lastSeq());
  }

  private long sent() {
    return WireCounter.of(transport).bytesSent();
  }

  private long received() {
    return WireCounter.of(transport).bytesReceived();
  }
}
