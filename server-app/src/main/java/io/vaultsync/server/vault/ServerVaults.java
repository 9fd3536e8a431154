package io.vaultsync.server.vault;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.DiskNames;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeFeed;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.StaleVersionException;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.server.history.FileVersion;
import io.vaultsync.server.history.VersionHistory;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.NewChange;
import io.vaultsync.server.ledger.SnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.mirror.MasterFolder;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.Staged;
import io.vaultsync.server.store.StagingBatch;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server backend: a {@link VaultTransport} over a {@link LedgerStore} and a {@link
 * ContentStore}, mirroring head state into each vault's master folder {@code <vaults>/NAME}.
 *
 * <p>A write is acknowledged only after its content is durable (store batch committed: pack fsync)
 * and its ledger entries are committed (one SQLite transaction); then the master folder is updated
 * and the vault's mirrored seq advanced. Writes to one vault are serialized by a per-vault lock
 * (the stale check, the ledger append and the master-folder update happen under it); a push patches
 * its delta into the store before taking the lock, so a large upload does not block the vault.
 *
 * <p>A commit that deletes more files than the {@link DeleteLimits} given at construction is
 * refused as a whole ({@link MassDeleteRefusedException}) unless its {@link CommitOptions} allow
 * mass deletes. A client that cuts one sync into several calls sends its permission with each;
 * without it, the deletes one device committed in the last {@link #DELETE_WINDOW} count together,
 * so a mass delete cut into many small calls is refused too.
 *
 * <p>Content is shared by all vaults (content-addressed); a fetch of a hash stored for another
 * vault succeeds. All devices may access all vaults (there is no per-vault permission yet).
 * Thread-safe.
 */
public final class ServerVaults implements VaultTransport {
  private final io.vaultsync.server.mirror.OwnWrites ownWrites =
      new io.vaultsync.server.mirror.OwnWrites();

  /** The server's own writes to the master folders, for the watcher to tell them apart. */
  public io.vaultsync.server.mirror.OwnWrites ownWrites() {
    return ownWrites;
  }

  private static final Logger log = LoggerFactory.getLogger(ServerVaults.class);

  /** Changes per vault kept in memory for the change feed. */
  static final int RECENT_CHANGES = 4_096;

  /** Called between the store commit and the ledger commit; tests throw from it. */
  @FunctionalInterface
  interface CommitHook {
    void beforeLedgerCommit() throws IOException;
  }

  private final LedgerStore ledger;
  private final SnapshotStore snapshots;
  private final ContentStore store;
  private final Path vaultsRoot;
  private final Clock clock;
  private final DeleteLimits deleteLimits;

  /** How long deletes committed without the mass-delete flag count towards a device's limits. */
  public static final Duration DELETE_WINDOW = DeleteLimits.WINDOW;

  /** Per vault and device: (epoch millis, deletes) of recent commits without the flag. */
  private final Map<String, ArrayDeque<long[]>> recentDeletes = new ConcurrentHashMap<>();

  private final Map<VaultName, ReentrantLock> locks = new ConcurrentHashMap<>();
  private volatile CommitHook hook = () -> {};

  /** The largest file and the vaults' quotas (none until {@link #limitUploads} is called). */
  private volatile io.vaultsync.server.limits.UploadLimits uploads =
      io.vaultsync.server.limits.UploadLimits.NONE;

  private final Map<VaultName, RecentChanges> recent = new ConcurrentHashMap<>();

  /** How long a cached compacted horizon is trusted (another process may compact meanwhile). */
  static final java.time.Duration HORIZON_TTL = java.time.Duration.ofSeconds(30);

  /** Each vault's compacted horizon and when it was read, so memory answers honour it. */
  private final Map<VaultName, long[]> horizons = new ConcurrentHashMap<>();

  /**
   * Runs the change feed's deliveries: a few threads for any number of subscribers, since a
   * delivery takes microseconds and never waits for a slow client (the feed pauses that subscriber
   * instead). A cached pool started ~100 threads per fan-out to 1,000 watchers, which made each
   * commit wait ~100 ms for thread creation.
   */
  private final java.util.concurrent.ExecutorService feedThreads =
      java.util.concurrent.Executors.newFixedThreadPool(
          Math.max(2, Runtime.getRuntime().availableProcessors()),
          r -> {
            Thread t = new Thread(r, "vaultsync-feed");
            t.setDaemon(true);
            return t;
          });

  private final ChangeFeed feed = new ChangeFeed(this::changesSince, feedThreads);

  /** A backend without snapshots ({@link #snapshot} answers NOT_FOUND). */
  public ServerVaults(LedgerStore ledger, ContentStore store, Path vaultsRoot, Clock clock) {
    this(ledger, null, store, vaultsRoot, clock);
  }

  /**
   * A backend whose snapshots (null: none) live in {@code snapshots}, with the default {@link
   * DeleteLimits}.
   */
  public ServerVaults(
      LedgerStore ledger,
      SnapshotStore snapshots,
      ContentStore store,
      Path vaultsRoot,
      Clock clock) {
    this(ledger, snapshots, store, vaultsRoot, clock, DeleteLimits.DEFAULTS);
  }

  /**
   * A backend whose snapshots (null: none) live in {@code snapshots}, refusing commits that delete
   * more than {@code deleteLimits} allow.
   */
  public ServerVaults(
      LedgerStore ledger,
      SnapshotStore snapshots,
      ContentStore store,
      Path vaultsRoot,
      Clock clock,
      DeleteLimits deleteLimits) {
    this.deleteLimits = Objects.requireNonNull(deleteLimits, "deleteLimits");
    this.snapshots = snapshots;
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.vaultsRoot = Objects.requireNonNull(vaultsRoot, "vaultsRoot");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.mirror = new MasterMirror(ledger, this::lock, this::master, clock);
  }

  /**
   * Writes recorded changes into the master folders after the acknowledgement and remembers what it
   * could not write (see {@link MasterMirror}).
   */
  private final MasterMirror mirror;

  /**
   * Blocks until every change recorded so far in {@code vault} was written to its master folder.
   */
  public void awaitMirrored(String vault) throws IOException {
    mirror.await();
  }

  /**
   * Finishes pending master-folder writes and stops the mirror worker. The stores belong to whoever
   * opened them ({@code ServerData}) and stay open.
   */
  @Override
  public void close() throws IOException {
    feed.closeAll(new RemoteUnavailableException("the server is shutting down"));
    feedThreads.shutdown();
    mirror.close();
  }

  /**
   * Bounds what commits and pushes store: every delta's target by the largest file ({@link
   * io.vaultsync.protocol.FileTooLargeException} before it grows past it), and each vault by its
   * quota ({@link io.vaultsync.protocol.QuotaExceededException}). ServerData does this.
   */
  public void limitUploads(io.vaultsync.server.limits.UploadLimits limits) {
    this.uploads = Objects.requireNonNull(limits, "limits");
  }

  void setCommitHook(CommitHook hook) {
    this.hook = hook;
  }

  /** Tests observe (and can hold up) the mirror worker between two files with this. */
  void setMirrorHook(java.util.function.Consumer<Change> mirrorHook) {
    mirror.setHook(mirrorHook);
  }

  /** Shortens the retries of failed master-folder writes (tests). */
  void setMirrorRetry(Duration first, Duration max) {
    mirror.setRetry(first, max);
  }

  /** The master folders' writer and its memory of what they owe. */
  MasterMirror mirror() {
    return mirror;
  }

  LedgerStore ledger() {
    return ledger;
  }

  /** The version history of every vault (written with each ledger append). */
  public VersionHistory history() {
    return ledger.history();
  }

  ContentStore store() {
    return store;
  }

  Clock clock() {
    return clock;
  }

  /** The master folder of {@code vault}. */
  public Path folder(VaultName vault) {
    return vaultsRoot.resolve(vault.value());
  }

  MasterFolder master(VaultName vault) {
    return new MasterFolder(
        folder(vault),
        store,
        clock,
        ownWrites,
        masterDisk,
        diskNames.getOrDefault(vault, DiskNames.NONE));
  }

  /** How master folders are written; tests fail writes on demand with this. */
  private volatile io.vaultsync.server.mirror.MasterDisk masterDisk =
      io.vaultsync.server.mirror.MasterDisk.REAL;

  /** Makes every later master-folder write go through {@code disk} (tests inject failures). */
  void setMasterDisk(io.vaultsync.server.mirror.MasterDisk disk) {
    this.masterDisk = Objects.requireNonNull(disk, "disk");
  }

  /** Per vault: the master folder's names that are not NFC on disk, as the last scan found them. */
  private final Map<VaultName, DiskNames> diskNames = new ConcurrentHashMap<>();

  /** Whether a scan told {@link #diskNames(VaultName, DiskNames)} since the start. */
  boolean knowsDiskNames(VaultName vault) {
    return diskNames.containsKey(vault);
  }

  /** What the reconciler's last scan of the master folder found: writes go to these names. */
  void diskNames(VaultName vault, DiskNames names) {
    diskNames.put(vault, names);
  }

  /**
   * The vault's lock. Fair, so a commit that queues for it while the mirror worker holds it gets it
   * as soon as the worker lets go between two files (see {@link #mirrorInTurns}).
   */
  ReentrantLock lock(VaultName vault) {
    return locks.computeIfAbsent(vault, v -> new ReentrantLock(true));
  }

  @Override
  public void createVault(String vault) throws IOException {
    VaultName name = VaultName.of(vault);
    ReentrantLock lock = lock(name);
    lock.lock();
    try {
      ledger.createVault(name, clock.instant());
      Files.createDirectories(folder(name));
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    return ledger.vaults();
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    VaultName name = name(vault);
    if (afterSeq >= 0 && limit >= 1) {
      RecentChanges r = recent.get(name);
      ChangePage page = r == null ? null : r.after(afterSeq, limit);
      if (page != null) {
        long horizon = horizon(name);
        if (afterSeq >= horizon) {
          return withWanted(
              name,
              new ChangePage(page.changes(), page.headSeq(), Math.min(horizon, page.headSeq())));
        }
        // Below the horizon: say so, as the ledger does, even though memory still has them.
      }
    }
    ChangePage page = ledger.changesSince(name, afterSeq, limit);
    if (snapshots != null) {
      horizons.put(name, new long[] {page.horizonSeq(), System.nanoTime()});
    }
    return withWanted(name, page);
  }

  /** {@code page} asking for the wanted content the vault's head names (usually none). */
  private ChangePage withWanted(VaultName name, ChangePage page) throws IOException {
    io.vaultsync.server.integrity.WantedContent w = wanted;
    if (w == null || w.isEmpty()) {
      return page;
    }
    List<ContentHash> atHead = w.atHead(name);
    return atHead.isEmpty() ? page : page.withWanted(atHead);
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    ledger.headSeq(name(vault)); // NotFoundException for an unknown vault
    return feed.subscribe(vault, afterSeq, listener);
  }

  /** Live change-feed subscriptions of {@code vault}. */
  public int subscribers(String vault) {
    return feed.subscribers(vault);
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return ledger.manifest(name(vault));
  }

  /**
   * {@inheritDoc} Taking one is a single SQLite transaction that copies head, so it needs no vault
   * lock and sees no half-applied commit.
   */
  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    VaultName name = name(vault);
    if (snapshots == null) {
      ledger.headSeq(name); // NotFoundException for an unknown vault
      return VaultTransport.super.snapshot(vault, createNow);
    }
    if (createNow) {
      return snapshots.take(name, clock.instant());
    }
    List<SnapshotInfo> kept = snapshots.list(name);
    if (kept.isEmpty()) {
      throw new NotFoundException("vault \"" + vault + "\" keeps no snapshot yet");
    }
    return kept.get(kept.size() - 1);
  }

  /**
   * Compacts {@code vault}'s ledger ({@link SnapshotStore#compact}) and makes this server's answers
   * from memory honour the new horizon at once. (A compaction by another process, {@code vaultsync
   * server compact}, is seen within {@link #HORIZON_TTL}; until then recent changes still in memory
   * are served, which are exact.)
   *
   * @throws IllegalStateException if this backend keeps no snapshots
   */
  public Compaction compact(VaultName vault, java.time.Instant olderThan) throws IOException {
    if (snapshots == null) {
      throw new IllegalStateException("this backend keeps no snapshots, so it cannot compact");
    }
    Compaction c = snapshots.compact(vault, olderThan);
    horizons.put(vault, new long[] {c.horizonAfter(), System.nanoTime()});
    return c;
  }

  /** The compacted horizon, from a cache refreshed every {@link #HORIZON_TTL}. */
  private long horizon(VaultName name) throws IOException {
    if (snapshots == null) {
      return 0;
    }
    long[] cached = horizons.get(name);
    if (cached == null || System.nanoTime() - cached[1] > HORIZON_TTL.toNanos()) {
      cached = new long[] {snapshots.horizon(name), System.nanoTime()};
      horizons.put(name, cached);
    }
    return cached[0];
  }

  /** Content the server wants back, once {@link #attachWanted} was called (ServerData does). */
  private volatile io.vaultsync.server.integrity.WantedContent wanted;

  /** Gets content a read found missing or damaged back at once, if it can (ServerData's). */
  private volatile io.vaultsync.server.integrity.ContentHealer healer;

  /**
   * Makes change pages ask devices for the content in {@code wanted} that a vault's head names,
   * {@link #giveBack} take it, and reads that find content missing or damaged try {@code healer}
   * (null: none) before they report it.
   */
  public void attachWanted(
      io.vaultsync.server.integrity.WantedContent wanted,
      io.vaultsync.server.integrity.ContentHealer healer) {
    this.wanted = wanted;
    this.healer = healer;
  }

  /** Share links, once {@link #attachShares} was called (ServerData does). */
  private volatile io.vaultsync.server.share.ShareLinks shares;

  /** Makes this backend answer the share-link calls with {@code links}. */
  public void attachShares(io.vaultsync.server.share.ShareLinks links) {
    this.shares = Objects.requireNonNull(links, "links");
  }

  private io.vaultsync.server.share.ShareLinks shares() throws IOException {
    io.vaultsync.server.share.ShareLinks s = shares;
    if (s == null) {
      throw new io.vaultsync.protocol.InvalidRequestException("this server keeps no share links");
    }
    return s;
  }

  @Override
  public io.vaultsync.protocol.CreatedShare createShare(
      String vault, NotePath path, java.time.Instant expires, char[] password, String device)
      throws IOException {
    return shares().create(name(vault), path, expires, password, device);
  }

  @Override
  public List<io.vaultsync.protocol.ShareInfo> listShares(String vault) throws IOException {
    return shares().list(name(vault));
  }

  @Override
  public void revokeShare(String vault, String id) throws IOException {
    shares().revoke(name(vault), id);
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    VaultName name = name(vault);
    if (snapshots == null) {
      ledger.headSeq(name);
      return VaultTransport.super.snapshotManifest(vault, seq);
    }
    return snapshots.entries(name, seq);
  }

  /** {@inheritDoc} From the version history ({@link #history()}), which compaction keeps. */
  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    return ledger.history().versions(name(vault), path, beforeSeq, limit).stream()
        .map(FileVersion::change)
        .toList();
  }

  @Override
  public long seqAt(String vault, Instant time) throws IOException {
    return ledger.history().seqAt(name(vault), time);
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    return ledger.history().manifestAt(name(vault), seq);
  }

  @Override
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    Objects.requireNonNull(target, "target");
    VaultName name = name(vault);
    ledger.headSeq(name); // NotFoundException for an unknown vault
    fetchChecked(name, target, base, deltaOut);
  }

  /**
   * {@inheritDoc} The vault is looked up once; each item is encoded as {@link #fetch} would, and a
   * missing target or base is reported for its item before any of its bytes.
   */
  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    VaultTransport.checkFetchItems(items.size());
    VaultName name = name(vault);
    ledger.headSeq(name); // NotFoundException for an unknown vault
    for (int i = 0; i < items.size(); i++) {
      FetchItem item = items.get(i);
      FetchReceiver.Lazy out = new FetchReceiver.Lazy(receiver, i);
      try {
        fetchChecked(name, item.target(), item.base(), out);
      } catch (NotFoundException e) {
        if (out.begun()) {
          throw e;
        }
        receiver.notFound(i, e.getMessage());
        continue;
      }
      out.stream();
      receiver.end(i);
    }
  }

  /** {@link #fetch} of a vault known to exist. */
  private void fetchChecked(
      VaultName name, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    StoredObject content = openOrNotFound(name, target, "content");
    Signature sig = null;
    if (base != null) {
      // A base the store lacks (lost, or found damaged) costs only bytes: the delta is then
      // encoded against nothing, which the receiver can apply over any basis.
      StoredObject basis = openOrNull(base);
      if (basis != null) {
        try (InputStream in = basis.stream()) {
          sig = Deltas.signature(in, SignatureParams.forBasisLength(basis.size()));
        }
      }
    }
    if (sig == null) {
      sig = Deltas.signature(InputStream.nullInputStream(), SignatureParams.forBasisLength(0));
    }
    try (InputStream in = content.stream()) {
      Deltas.delta(sig, in, deltaOut);
    }
  }

  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(delta, "delta");
    Objects.requireNonNull(device, "device");
    VaultName name = name(vault);
    RemoteEntry before = ledger.head(name, path).orElse(null);
    checkFresh(name, path, before, base);
    checkShape(name, path, before, device); // before the upload is patched: it would be in vain
    io.vaultsync.server.limits.UploadLimits limits = uploads;
    try (StagingBatch batch = store.newBatch()) {
      Basis basis = basisOf(batch, name, before);
      ContentHash[] verified = new ContentHash[1];
      Staged staged =
          batch.stage(
              out -> verified[0] = patchBounded(name, path, device, basis, delta, out, limits));
      if (!staged.hash().equals(verified[0])) {
        throw new IOException(
            "stored bytes hash to "
                + staged.hash().hex()
                + " but the patch verified "
                + verified[0]);
      }
      ReentrantLock lock = lock(name);
      lock.lock();
      try {
        RemoteEntry current = ledger.head(name, path).orElse(null);
        checkFresh(name, path, current, base);
        checkShape(name, path, current, device);
        io.vaultsync.server.limits.UploadLimits.Account account = limits.account(name);
        account.add(staged.hash(), staged.size());
        List<Change> changes =
            record(name, batch, List.of(NewChange.put(path, staged.hash(), staged.size())), device);
        account.recorded();
        Change c = changes.get(0);
        return new RemoteEntry(c.path(), c.hash(), c.size(), c.seq());
      } finally {
        lock.unlock();
      }
    } catch (NoSuchFileException | io.vaultsync.server.store.DamagedContentException e) {
      throw new NotFoundException(
          "base version " + base.hex() + " is not stored in vault " + vault);
    }
  }

  /**
   * The basis a write patches: the stored content of {@code current} (null: nothing). When the
   * store lacks it (lost, or found damaged) the write can still apply a delta that copies nothing
   * from it, which is what a client sends after its delta was refused for that reason: only a COPY
   * reads the basis, and then fails with {@link NotFoundException} naming the base.
   */
  private Basis basisOf(StagingBatch batch, VaultName vault, RemoteEntry current)
      throws IOException {
    if (current == null) {
      return Basis.of(new byte[0]);
    }
    try {
      return batch.open(current.hash()).basis();
    } catch (NoSuchFileException | io.vaultsync.server.store.DamagedContentException e) {
      io.vaultsync.server.integrity.ContentHealer h = healer;
      if (h != null && h.heal(vault, current.hash())) {
        StoredObject healed = openOrNull(current.hash());
        if (healed != null) {
          return healed.basis();
        }
      }
      String message =
          "base version "
              + current.hash().hex()
              + " is not stored in vault "
              + vault
              + "; send the content against nothing";
      return new Basis() {
        @Override
        public long length() {
          return current.size();
        }

        @Override
        public void readFully(long position, byte[] dst, int off, int len) throws IOException {
          throw new NotFoundException(message);
        }
      };
    }
  }

  /**
   * {@inheritDoc} Takes only content the server wants; the delta is patched into a new pack with at
   * most the wanted size, its SHA-256 checked, and the pack committed. The store then tells the
   * wanted set it has it again. Needs no vault lock: no ledger row changes.
   */
  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    Objects.requireNonNull(hash, "hash");
    Objects.requireNonNull(delta, "delta");
    VaultName name = name(vault);
    ledger.headSeq(name); // NotFoundException for an unknown vault
    io.vaultsync.server.integrity.WantedContent w = wanted;
    if (w == null || !w.contains(hash) || store.has(hash)) {
      return false;
    }
    long limit = w.size(hash);
    try (StagingBatch batch = store.newBatch()) {
      ContentHash[] verified = new ContentHash[1];
      Staged staged =
          batch.stage(
              out ->
                  verified[0] =
                      Deltas.patch(
                          Basis.of(new byte[0]), delta, new BoundedOutput(out, limit, hash)));
      if (!staged.hash().equals(hash) || !hash.equals(verified[0])) {
        throw new io.vaultsync.protocol.InvalidRequestException(
            "the content given back as " + hash.hex() + " hashes to " + staged.hash().hex());
      }
      batch.commit();
    }
    log.info("device {} gave back content {} (vault {})", device, hash.hex(), name);
    return true;
  }

  /** Refuses to write more than the wanted content's size (when it is known). */
  private static final class BoundedOutput extends java.io.FilterOutputStream {
    private final long limit;
    private final ContentHash hash;
    private long written;

    BoundedOutput(OutputStream out, long limit, ContentHash hash) {
      super(out);
      this.limit = limit;
      this.hash = hash;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      if (limit >= 0 && written + len > limit) {
        throw new io.vaultsync.protocol.InvalidRequestException(
            "the content given back as " + hash.hex() + " has more than its " + limit + " bytes");
      }
      written += len;
      out.write(b, off, len);
    }
  }

  @Override
  public List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(options, "options");
    if (mutations.size() > Limits.COMMIT_MUTATIONS) {
      throw new IllegalArgumentException(
          "batch of " + mutations.size() + " mutations; at most " + Limits.COMMIT_MUTATIONS);
    }
    VaultName name = name(vault);
    io.vaultsync.server.limits.UploadLimits limits = uploads;
    ReentrantLock lock = lock(name);
    lock.lock();
    try (StagingBatch batch = store.newBatch()) {
      ledger.headSeq(name);
      io.vaultsync.server.limits.UploadLimits.Account account = limits.account(name);
      checkDeletes(name, mutations, options, device);
      CommitHead head = new CommitHead(ledger, name).expecting(targets(mutations));
      List<NewChange> changes = new ArrayList<>();
      List<Object> slots = new ArrayList<>(); // Outcome.Stale, .Refused or index into changes
      for (Mutation m : mutations) {
        RemoteEntry current = head.current(m.path());
        if (m instanceof Mutation.Put put) {
          if (!same(current, put.base())) {
            slots.add(new Outcome.Stale(put.path(), current));
            continue;
          }
          Optional<String> refusal = refusal(head, put.path(), current);
          if (refusal.isPresent()) {
            slots.add(refused(name, put.path(), refusal.get(), device));
            continue;
          }
          Basis basis = basisOf(batch, name, put.base() == null ? null : current);
          ContentHash[] verified = new ContentHash[1];
          Staged staged =
              batch.stage(
                  out ->
                      verified[0] =
                          patchBounded(
                              name, put.path(), device, basis, put.deltaStream(), out, limits));
          if (!staged.hash().equals(verified[0])) {
            throw new IOException("stored bytes hash to " + staged.hash().hex());
          }
          account.add(staged.hash(), staged.size());
          NewChange n = NewChange.put(put.path(), staged.hash(), staged.size());
          head.put(pending(n));
          slots.add(changes.size());
          changes.add(n);
        } else if (m instanceof Mutation.Delete delete) {
          if (current == null || !same(current, delete.expected())) {
            slots.add(new Outcome.Stale(delete.path(), current));
            continue;
          }
          head.remove(delete.path());
          slots.add(changes.size());
          NewChange d = NewChange.delete(delete.path(), current.hash(), current.size());
          changes.add(options.allowMassDelete() ? d.asConfirmed() : d);
        } else {
          Mutation.Move move = (Mutation.Move) m;
          if (current == null || !same(current, move.expected())) {
            slots.add(new Outcome.Stale(move.path(), current));
            continue;
          }
          RemoteEntry occupant = head.current(move.to());
          if (occupant != null) {
            slots.add(new Outcome.Stale(move.to(), occupant));
            continue;
          }
          head.remove(move.path()); // gone once moved: "a" -> "a/b" is fine
          Optional<String> refusal = refusal(head, move.to(), null);
          if (refusal.isPresent()) {
            head.put(current);
            slots.add(refused(name, move.to(), refusal.get(), device));
            continue;
          }
          NewChange n = NewChange.move(move.path(), move.to(), current.hash(), current.size());
          head.put(pending(n));
          slots.add(changes.size());
          changes.add(n);
        }
      }
      List<Change> recorded = record(name, batch, changes, device);
      account.recorded();
      List<Outcome> outcomes = new ArrayList<>(slots.size());
      for (Object slot : slots) {
        outcomes.add(
            slot instanceof Integer i ? new Outcome.Applied(recorded.get(i)) : (Outcome) slot);
      }
      return outcomes;
    } finally {
      lock.unlock();
    }
  }

  /**
   * Patches an uploaded delta into {@code out}, refusing a target larger than the largest file
   * before it grows past it (issue 12: a 74-byte delta of four whole-basis copies declared 2 GB).
   */
  private static ContentHash patchBounded(
      VaultName vault,
      NotePath path,
      String device,
      Basis basis,
      InputStream delta,
      OutputStream out,
      io.vaultsync.server.limits.UploadLimits limits)
      throws IOException {
    try {
      return Deltas.patch(basis, delta, out, null, limits.maxFileBytes());
    } catch (io.vaultsync.core.delta.TargetTooLargeException e) {
      log.warn(
          "refused {} in vault {} from device {}: it would be at least {} bytes, the largest file"
              + " is {}",
          path,
          vault,
          device,
          e.reached(),
          e.limit());
      throw new io.vaultsync.protocol.FileTooLargeException(
          vault.value(), path.value(), e.reached(), e.limit());
    }
  }

  /**
   * Refuses the commit if it deletes more files than the limits allow and the client did not allow
   * mass deletes. The deletes count together with those the same device committed without the flag
   * in the last {@link #DELETE_WINDOW} (a client cuts one sync into several calls, and a broken one
   * might cut a mass delete into many small ones); the percentage is of the vault's files before
   * those deletes. Counts the vault's files only when the delete count alone cannot decide. The
   * caller holds the vault's lock, which also guards the window.
   */
  private void checkDeletes(
      VaultName name, List<Mutation> mutations, CommitOptions options, String device)
      throws IOException {
    if (options.allowMassDelete()) {
      return;
    }
    long deletes = mutations.stream().filter(m -> m instanceof Mutation.Delete).count();
    if (deletes == 0) {
      return;
    }
    long now = clock.millis();
    ArrayDeque<long[]> recent =
        recentDeletes.computeIfAbsent(name.value() + "\u0000" + device, k -> new ArrayDeque<>());
    while (!recent.isEmpty() && recent.peekFirst()[0] <= now - DELETE_WINDOW.toMillis()) {
      recent.pollFirst();
    }
    long earlier = recent.stream().mapToLong(e -> e[1]).sum();
    long total = earlier + deletes;
    if (total > deleteLimits.maxFiles() || total >= deleteLimits.percentFloor()) {
      long files =
          earlier
              + ledger.vaults().stream()
                  .filter(v -> v.name().equals(name.value()))
                  .mapToLong(VaultInfo::files)
                  .findFirst()
                  .orElse(0);
      if (deleteLimits.exceeded(total, files)) {
        log.warn(
            "refused a commit of {} deletes ({} in the last minute) of {} files in vault {} from"
                + " device {}: mass delete",
            deletes,
            total,
            files,
            name,
            device);
        throw new MassDeleteRefusedException(name.value(), total, files, deleteLimits);
      }
    }
    recent.addLast(new long[] {now, deletes});
  }

  /**
   * Makes {@code batch} durable, appends {@code changes} in one transaction, then mirrors them into
   * the master folder. The caller holds the vault's lock.
   */
  List<Change> record(VaultName name, StagingBatch batch, List<NewChange> changes, String device)
      throws IOException {
    return record(name, batch, changes, device, false);
  }

  /**
   * As {@link #record(VaultName, StagingBatch, List, String)}; {@code alreadyOnDisk}: the changes
   * were read from the master folder, so there is nothing to mirror.
   */
  List<Change> record(
      VaultName name,
      StagingBatch batch,
      List<NewChange> changes,
      String device,
      boolean alreadyOnDisk)
      throws IOException {
    if (changes.isEmpty()) {
      return List.of();
    }
    long headSeq = ledger.headSeq(name);
    batch.commit();
    hook.beforeLedgerCommit();
    List<Change> recorded = ledger.append(name, headSeq, changes, device, clock.instant());
    recent.computeIfAbsent(name, n -> new RecentChanges(RECENT_CHANGES)).add(recorded);
    feed.published(name.value(), recorded.get(recorded.size() - 1).seq());
    if (!alreadyOnDisk) {
      mirror.later(name, recorded);
    } else if (ledger.mirroredSeq(name) == headSeq) {
      // read from the folder, so in it; never past changes not yet written (MasterMirror)
      ledger.setMirroredSeq(name, recorded.get(recorded.size() - 1).seq());
    }
    return recorded;
  }

  /**
   * Why a file at {@code path} (now {@code current}, null: none) must not be written: {@link
   * TreeShape}'s rules for a new path (a file on the way, a folder of files there, an internal
   * name), the internal-name rule for any (a tree stored before the rules keeps its other files
   * writable).
   */
  private static Optional<String> refusal(TreeShape.Head head, NotePath path, RemoteEntry current)
      throws IOException {
    return current != null ? TreeShape.internalName(path) : TreeShape.refusal(path, head);
  }

  /** The paths {@code mutations} may write a file at: each put's path and each move's target. */
  private static List<NotePath> targets(List<Mutation> mutations) {
    List<NotePath> out = new ArrayList<>(mutations.size());
    for (Mutation m : mutations) {
      if (m instanceof Mutation.Put put) {
        out.add(put.path());
      } else if (m instanceof Mutation.Move move) {
        out.add(move.to());
      }
    }
    return out;
  }

  /** The outcome of a refused mutation, logged; the ledger gets nothing for it. */
  private static Outcome.Refused refused(
      VaultName name, NotePath path, String reason, String device) {
    log.info("refused {} in vault {} from device {}: {}", path, name, device, reason);
    return new Outcome.Refused(path, reason);
  }

  /** A head entry for a change not yet numbered (seq is unknown until the append). */
  private static RemoteEntry pending(NewChange n) {
    return new RemoteEntry(n.path(), n.hash(), n.size(), Long.MAX_VALUE);
  }

  /**
   * The verified content {@code hash}; a damaged copy (which the store then stops serving and the
   * server wants back) reads as missing.
   *
   * @throws NotFoundException if it is not stored, or damaged
   */
  private StoredObject openOrNotFound(VaultName vault, ContentHash hash, String what)
      throws IOException {
    try {
      return store.open(hash);
    } catch (NoSuchFileException | io.vaultsync.server.store.DamagedContentException e) {
      io.vaultsync.server.integrity.ContentHealer h = healer;
      if (h != null && h.heal(vault, hash)) {
        try {
          return store.open(hash);
        } catch (NoSuchFileException | io.vaultsync.server.store.DamagedContentException again) {
          // reported below
        }
      }
      if (e instanceof NoSuchFileException) {
        throw new NotFoundException(what + " " + hash.hex() + " is not stored in vault " + vault);
      }
      throw new NotFoundException(
          what + " " + hash.hex() + " of vault " + vault + " is damaged on the server");
    }
  }

  /** The verified content {@code hash}, or null if it is not stored or damaged. */
  private StoredObject openOrNull(ContentHash hash) throws IOException {
    try {
      return store.open(hash);
    } catch (NoSuchFileException | io.vaultsync.server.store.DamagedContentException e) {
      return null;
    }
  }

  /** Throws {@link PathRefusedException} if no client could hold a file at {@code path}. */
  private void checkShape(VaultName name, NotePath path, RemoteEntry current, String device)
      throws IOException {
    Optional<String> refusal = refusal(new CommitHead(ledger, name), path, current);
    if (refusal.isPresent()) {
      refused(name, path, refusal.get(), device);
      throw new PathRefusedException(name.value(), path.value(), refusal.get());
    }
  }

  private static void checkFresh(
      VaultName name, NotePath path, RemoteEntry current, ContentHash base)
      throws StaleVersionException {
    if (!same(current, base)) {
      throw new StaleVersionException(name.value(), path.value(), base, current);
    }
  }

  private static boolean same(RemoteEntry current, ContentHash expected) {
    return current == null ? expected == null : current.hash().equals(expected);
  }

  private static VaultName name(String vault) throws NotFoundException {
    try {
      return VaultName.of(vault);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException(e.getMessage());
    }
  }
}
