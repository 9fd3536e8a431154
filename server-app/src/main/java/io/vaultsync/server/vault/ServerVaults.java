package io.vaultsync.server.vault;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.rules.CommitRules;
import io.vaultsync.protocol.rules.RecentDeletes;
import io.vaultsync.server.integrity.ContentHealer;
import io.vaultsync.server.integrity.WantedContent;
import io.vaultsync.server.ledger.Compaction;
import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.LedgerStore;
import io.vaultsync.server.ledger.SnapshotStore;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VersionHistory;
import io.vaultsync.server.limits.UploadLimits;
import io.vaultsync.server.mirror.MasterDisk;
import io.vaultsync.server.mirror.OwnWrites;
import io.vaultsync.server.share.ShareLinks;
import io.vaultsync.server.store.ContentStore;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The server backend: a {@link VaultTransport} over a {@link LedgerStore} and a {@link
 * ContentStore}, mirroring head state into each vault's master folder {@code <vaults>/NAME}. A
 * facade: each call goes to the class of its concern.
 *
 * <ul>
 *   <li>{@link VaultCommits}: commits and pushes, by {@link CommitRules} (stale bases, tree shapes,
 *       mass deletes over the {@link io.vaultsync.protocol.DeleteLimits#WINDOW}), with {@link
 *       ContentUploads} patching each delta into the store;
 *   <li>{@link ChangeRecorder}: the store commit and the ledger append, then the feed and the
 *       mirror;
 *   <li>{@link VaultChangeFeed}: changes since a seq and the live subscriptions;
 *   <li>{@link MasterMirror} and {@link MasterFolders}: the master folders;
 *   <li>{@link ContentReads} and {@link ContentGiveBack}: fetches, and lost content given back;
 *   <li>{@link VaultSnapshots}: snapshots and compaction; {@link ShareLinks}: share links.
 * </ul>
 *
 * <p>A write is acknowledged only after its content is durable (store batch committed: pack fsync)
 * and its ledger entries are committed (one SQLite transaction); then the master folder is updated
 * and the vault's mirrored seq advanced. Writes to one vault are serialized by its {@link
 * VaultLock}. What this process alone keeps (the locks, the recent changes, the recent deletes) is
 * behind {@link VaultLocks}, {@link ChangeCache} and {@link RecentDeletes}.
 *
 * <p>All devices may access all vaults (there is no per-vault permission yet). Thread-safe.
 *
 * <p>Over 400 lines: a facade of the whole {@code VaultTransport} (each method one line into the
 * class of its concern) plus the hooks its tests and the reconciler use.
 */
public final class ServerVaults implements VaultTransport {
  /** Changes per vault kept in memory for the change feed. */
  static final int RECENT_CHANGES = 4_096;

  private final LedgerStore ledger;
  private final ContentStore store;
  private final Clock clock;
  private final Coordination coordination;
  private final VaultLocks locks;
  private final ContentRepair repair = new ContentRepair();
  private final MasterFolders folders;
  private final MasterMirror mirror;
  private final VaultChangeFeed feed;
  private final ChangeRecorder recorder;
  private final VaultCommits commits;
  private final ContentReads reads;
  private final ContentGiveBack giveBacks;
  private final VaultSnapshots snapshots;

  /** Share links, once {@link #attachShares} was called (ServerData does). */
  private volatile ShareLinks shares;

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
    this(ledger, snapshots, store, vaultsRoot, clock, deleteLimits, Coordination.alone());
  }

  /**
   * As above, sharing with the other processes of the same server what {@code coordination} says
   * (the embedded server: {@link Coordination#alone()}).
   */
  public ServerVaults(
      LedgerStore ledger,
      SnapshotStore snapshots,
      ContentStore store,
      Path vaultsRoot,
      Clock clock,
      DeleteLimits deleteLimits,
      Coordination coordination) {
    this.coordination = Objects.requireNonNull(coordination, "coordination");
    this.locks = coordination.locks();
    this.ledger = Objects.requireNonNull(ledger, "ledger");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.folders = new MasterFolders(vaultsRoot, store, clock);
    this.mirror = new MasterMirror(ledger, locks, folders::master, clock);
    this.feed =
        new VaultChangeFeed(
            ledger, snapshots, coordination.cache(), repair, coordination.signals());
    this.recorder =
        new ChangeRecorder(
            ledger, clock, feed, mirror, coordination.signals(), coordination.folders());
    this.commits =
        new VaultCommits(
            ledger,
            store,
            locks,
            new CommitRules(deleteLimits),
            coordination.deletes(),
            new ContentUploads(store, repair),
            recorder,
            clock);
    this.reads = new ContentReads(ledger, store, repair);
    this.giveBacks = new ContentGiveBack(ledger, store, repair);
    this.snapshots = new VaultSnapshots(ledger, snapshots, feed, clock);
  }

  /**
   * Bounds what commits and pushes store: every delta's target by the largest file ({@link
   * io.vaultsync.protocol.FileTooLargeException} before it grows past it), and each vault by its
   * quota ({@link io.vaultsync.protocol.QuotaExceededException}). ServerData does this.
   */
  public void limitUploads(UploadLimits limits) {
    commits.limitUploads(limits);
  }

  /**
   * Makes change pages ask devices for the content in {@code wanted} that a vault's head names,
   * {@link #giveBack} take it, and reads that find content missing or damaged try {@code healer}
   * (null: none) before they report it.
   */
  public void attachWanted(WantedContent wanted, ContentHealer healer) {
    repair.attach(wanted, healer);
  }

  /** Makes this backend answer the share-link calls with {@code links}. */
  public void attachShares(ShareLinks links) {
    this.shares = Objects.requireNonNull(links, "links");
  }

  /** The server's own writes to the master folders, for the watcher to tell them apart. */
  public OwnWrites ownWrites() {
    return folders.ownWrites();
  }

  /** The version history of every vault (written with each ledger append). */
  public VersionHistory history() {
    return ledger.history();
  }

  /** The master folder of {@code vault}. */
  public Path folder(VaultName vault) {
    return folders.folder(vault);
  }

  /**
   * Blocks until every change recorded so far in {@code vault} was written to its master folder.
   */
  public void awaitMirrored(String vault) throws IOException {
    mirror.await();
  }

  /**
   * Compacts {@code vault}'s ledger and makes this server's answers from memory honour the new
   * horizon at once ({@link VaultSnapshots#compact}).
   *
   * @throws IllegalStateException if this backend keeps no snapshots
   */
  public Compaction compact(VaultName vault, Instant olderThan) throws IOException {
    return snapshots.compact(vault, olderThan);
  }

  /** What this process shares with the other processes of the same server. */
  public Coordination coordination() {
    return coordination;
  }

  /** Live change-feed subscriptions of {@code vault}. */
  public int subscribers(String vault) {
    return feed.subscribers(vault);
  }

  /**
   * Ends the subscriptions, finishes pending master-folder writes and stops the mirror worker. The
   * stores belong to whoever opened them ({@code ServerData}) and stay open.
   */
  @Override
  public void close() throws IOException {
    feed.close();
    mirror.close();
  }

  // ---- what the reconciler (and the tests of this package) use

  LedgerStore ledger() {
    return ledger;
  }

  ContentStore store() {
    return store;
  }

  MasterMirror mirror() {
    return mirror;
  }

  VaultLock lock(VaultName vault) {
    return locks.lock(vault);
  }

  /** The master folders: where they are, their names on disk, how they are written. */
  MasterFolders masterFolders() {
    return folders;
  }

  /** What records changes (the reconciler records the edits it finds in a master folder). */
  ChangeRecorder recorder() {
    return recorder;
  }

  /** Tests throw between the store commit and the ledger commit with this. */
  void setCommitHook(ChangeRecorder.CommitHook hook) {
    recorder.setHook(hook);
  }

  /** Tests observe (and can hold up) the mirror worker between two files with this. */
  void setMirrorHook(Consumer<Change> mirrorHook) {
    mirror.setHook(mirrorHook);
  }

  /** Shortens the retries of failed master-folder writes (tests). */
  void setMirrorRetry(Duration first, Duration max) {
    mirror.setRetry(first, max);
  }

  /** Makes every later master-folder write go through {@code disk} (tests inject failures). */
  void setMasterDisk(MasterDisk disk) {
    folders.setDisk(disk);
  }

  // ---- VaultTransport

  @Override
  public void createVault(String vault) throws IOException {
    VaultName name = VaultName.of(vault);
    VaultLock lock = locks.lock(name);
    lock.lock();
    try {
      ledger.createVault(name, clock.instant());
      if (coordination.folders().ownsMasterFolders()) {
        Files.createDirectories(folders.folder(name));
      }
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    return ledger.vaults();
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    return ledger.manifest(VaultNames.parse(vault));
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    return feed.changesSince(vault, afterSeq, limit);
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    VaultTransport.checkChangesArguments(afterSeq, limit);
    return feed.changesSince(vault, afterSeq, limit, folderMoves);
  }

  @Override
  public boolean takesFolderMoves() {
    return true;
  }

  @Override
  public Subscription subscribe(
      String vault, long afterSeq, ChangeListener listener, boolean folderMoves)
      throws IOException {
    VaultTransport.checkSeq("subscribe after seq", afterSeq);
    return feed.subscribe(vault, afterSeq, listener, folderMoves);
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    return feed.subscribe(vault, afterSeq, listener, false);
  }

  @Override
  public List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    return commits.commit(vault, mutations, device, options);
  }

  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    return commits.push(vault, path, base, delta, device);
  }

  @Override
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    reads.fetch(vault, target, base, deltaOut);
  }

  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    reads.fetchMany(vault, items, receiver);
  }

  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    return giveBacks.giveBack(vault, hash, delta, device);
  }

  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    return snapshots.snapshot(vault, createNow);
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    return snapshots.snapshotManifest(vault, seq);
  }

  /** {@inheritDoc} From the version history ({@link #history()}), which compaction keeps. */
  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    return ledger.history().versions(VaultNames.parse(vault), path, beforeSeq, limit).stream()
        .map(FileVersion::change)
        .toList();
  }

  @Override
  public long seqAt(String vault, Instant time) throws IOException {
    return ledger.history().seqAt(VaultNames.parse(vault), time);
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    return ledger.history().manifestAt(VaultNames.parse(vault), seq);
  }

  @Override
  public CreatedShare createShare(
      String vault, NotePath path, Instant expires, char[] password, String device)
      throws IOException {
    return shares().create(VaultNames.parse(vault), path, expires, password, device);
  }

  @Override
  public List<ShareInfo> listShares(String vault) throws IOException {
    return shares().list(VaultNames.parse(vault));
  }

  @Override
  public void revokeShare(String vault, String id) throws IOException {
    shares().revoke(VaultNames.parse(vault), id);
  }

  private ShareLinks shares() throws IOException {
    ShareLinks s = shares;
    if (s == null) {
      throw new InvalidRequestException("this server keeps no share links");
    }
    return s;
  }
}
