package io.vaultsync.protocol.testkit;

import io.vaultsync.core.delta.TargetTooLargeException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeFeed;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.FolderMoves;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.ShareInfo;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import io.vaultsync.protocol.rules.CommitPlan;
import io.vaultsync.protocol.rules.CommitRules;
import io.vaultsync.protocol.rules.NewChange;
import io.vaultsync.protocol.rules.RecentDeletes;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A {@link VaultTransport} whose vaults live in this process's memory ({@link MemoryVault}: content
 * by hash, every version kept; head state by path; an append-only ledger). For embedding sync in
 * another Java app without a network, and the reference implementation the contract suite ({@link
 * VaultProtocolContract}) runs against beside the real server. Contents are held whole in memory,
 * so it suits notes, not large files.
 *
 * <p>This class is the protocol's surface: it checks each call's arguments ({@link
 * VaultTransport}'s checks), applies the {@link CommitRules} and the {@link SizeLimits} as a server
 * does, and publishes what it records to the {@link ChangeFeed}; a vault's state and its queries
 * are {@link MemoryVault}'s. Thread-safe: every call holds the instance's lock. Just over 400 lines
 * because it is the whole {@link VaultTransport}: one short method per call (a check, the lock, a
 * {@link MemoryVault} call), grouped by role.
 */
public final class InProcessVaultTransport implements VaultTransport {
  private final Map<String, MemoryVault> vaults = new HashMap<>();
  private final Clock clock;
  private final CommitRules rules;
  private final SizeLimits sizes;
  private final RecentDeletes recentDeletes = RecentDeletes.inMemory();
  private final ExecutorService feedThreads =
      Executors.newFixedThreadPool(
          2,
          r -> {
            Thread t = new Thread(r, "vaultsync-inprocess-feed");
            t.setDaemon(true);
            return t;
          });
  private final ChangeFeed feed =
      new ChangeFeed(
          this::changesSince,
          (v, after, limit) -> changesSince(v, after, limit, true),
          feedThreads);

  public InProcessVaultTransport() {
    this(Clock.systemUTC());
  }

  /** A transport that allows any number of deletes. */
  public InProcessVaultTransport(Clock clock) {
    this(clock, DeleteLimits.NONE);
  }

  /**
   * A transport that refuses a commit deleting more than {@code limits} allow, as a server does
   * ({@link CommitRules#checkDeletes}: a device's deletes of the last minute count together),
   * unless its options allow mass deletes.
   */
  public InProcessVaultTransport(Clock clock, DeleteLimits limits) {
    this(clock, limits, SizeLimits.NONE);
  }

  /**
   * As {@link #InProcessVaultTransport(Clock, DeleteLimits)}, refusing files and uploads larger
   * than {@code sizes} allow, as a server does.
   */
  public InProcessVaultTransport(Clock clock, DeleteLimits limits, SizeLimits sizes) {
    this.clock = Objects.requireNonNull(clock, "clock");
    this.rules = new CommitRules(limits);
    this.sizes = Objects.requireNonNull(sizes, "sizes");
  }

  // ---- administration ----

  @Override
  public synchronized void createVault(String vault) throws IOException {
    VaultTransport.checkVaultName(vault);
    if (vaults.containsKey(vault)) {
      throw new InvalidRequestException("vault \"" + vault + "\" already exists");
    }
    vaults.put(vault, new MemoryVault(vault));
  }

  @Override
  public synchronized List<VaultInfo> listVaults() {
    return new TreeMap<>(vaults).values().stream().map(MemoryVault::info).toList();
  }

  // ---- the ledger and the head ----

  @Override
  public synchronized ChangePage changesSince(String vault, long afterSeq, int limit)
      throws IOException {
    VaultTransport.checkChangesArguments(afterSeq, limit);
    return vault(vault).changesSince(afterSeq, limit);
  }

  @Override
  public synchronized ChangePage changesSince(
      String vault, long afterSeq, int limit, boolean folderMoves) throws IOException {
    ChangePage page = changesSince(vault, afterSeq, limit);
    return folderMoves ? FolderMoves.collapse(page, afterSeq, vault(vault)::folderMoves) : page;
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    return subscribe(vault, afterSeq, listener, false);
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
    synchronized (this) {
      vault(vault);
    }
    return feed.subscribe(vault, afterSeq, listener, folderMoves);
  }

  /** Live subscriptions of {@code vault}. */
  public int subscribers(String vault) {
    return feed.subscribers(vault);
  }

  @Override
  public synchronized RemoteManifest manifest(String vault) throws IOException {
    return vault(vault).manifest();
  }

  @Override
  public synchronized VaultRoot root(String vault) throws IOException {
    return vault(vault).root();
  }

  // ---- content ----

  @Override
  public synchronized void fetch(
      String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    MemoryVault v = vault(vault);
    byte[] content = v.content(target);
    if (content == null) {
      throw new NotFoundException("content " + target.hex() + " is not stored in vault " + vault);
    }
    // A base this vault does not store costs only bytes, as on the vaultsync server: the delta is
    // encoded against nothing, which makes the target from any basis.
    byte[] basis = v.content(base);
    deltaOut.write(Deltas.encode(basis == null ? new byte[0] : basis, content));
  }

  /** {@inheritDoc} The whole batch is answered under one lock, from one state of the vault. */
  @Override
  public synchronized void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    VaultTransport.checkFetchItems(items.size());
    vault(vault); // NotFoundException for an unknown vault, before any item
    VaultTransport.super.fetchMany(vault, items, receiver);
  }

  /** The content stored under {@code hash} in {@code vault}, or null: every version is kept. */
  public synchronized byte[] content(String vault, ContentHash hash) throws IOException {
    byte[] c = vault(vault).content(hash);
    return c == null ? null : c.clone();
  }

  /**
   * Forgets the content {@code hash} of {@code vault}, as a server whose store lost or damaged it
   * would: fetching it fails with {@link NotFoundException} and change pages ask devices to give it
   * back ({@link #giveBack}) while the head names it. For tests of healing.
   */
  public synchronized void loseContent(String vault, ContentHash hash) throws IOException {
    vault(vault).lose(hash);
  }

  /** {@inheritDoc} Only content this vault lost ({@link #loseContent}) is taken. */
  @Override
  public synchronized boolean giveBack(
      String vault, ContentHash hash, InputStream delta, String device) throws IOException {
    MemoryVault v = vault(vault);
    if (!v.wants(hash)) {
      return false;
    }
    Deltas.Patched patched;
    try {
      patched = Deltas.patch(null, delta, sizes.maxFileBytes());
    } catch (FormatException | TargetTooLargeException e) {
      throw refused("content given back as " + hash.hex(), e);
    }
    if (!patched.hash().equals(hash)) {
      throw new InvalidRequestException(
          "content given back as " + hash.hex() + " hashes to " + patched.hash().hex());
    }
    v.store(hash, patched.content());
    return true;
  }

  // ---- writes ----

  @Override
  public synchronized RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    MemoryVault v = vault(vault);
    CommitRules.checkPush(vault, v.head(), path, base);
    Deltas.Patched patched = received(vault, path, v.content(base), delta);
    v.checkQuota(Map.of(patched.hash(), patched.content()), sizes.vaultQuotaBytes());
    v.store(patched.hash(), patched.content());
    Change change =
        new Change(
            v.headSeq() + 1,
            Change.Op.PUT,
            path,
            null,
            patched.hash(),
            patched.content().length,
            device,
            clock.instant());
    v.record(change);
    feed.published(vault, v.headSeq());
    return new RemoteEntry(path, change.hash(), change.size(), change.seq());
  }

  /** {@inheritDoc} The rules are {@link CommitRules}'s, as on a server. */
  @Override
  public synchronized List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(options, "options");
    CommitRules.checkBatchSize(mutations.size());
    MemoryVault v = vault(vault);
    rules.checkDeletes(vault, device, mutations, options, recentDeletes, clock.millis(), v::files);
    Map<ContentHash, byte[]> added = new HashMap<>();
    CommitPlan plan =
        CommitRules.plan(
            v.head(),
            mutations,
            options,
            (put, basis) -> {
              byte[] base = null;
              if (basis != null) {
                base = added.getOrDefault(basis.hash(), v.content(basis.hash()));
              }
              Deltas.Patched patched = received(vault, put.path(), base, put.deltaStream());
              added.putIfAbsent(patched.hash(), patched.content());
              return new CommitRules.Stored(patched.hash(), patched.content().length);
            });
    v.checkQuota(added, sizes.vaultQuotaBytes());
    Instant now = clock.instant();
    List<Change> recorded = new ArrayList<>(plan.changes().size());
    for (NewChange n : plan.changes()) {
      Change c = n.recorded(v.headSeq() + 1, device, now);
      v.record(c);
      recorded.add(c);
    }
    plan.folderMoves(recorded).forEach(v::recordFolderMove);
    added.forEach(v::store);
    if (!recorded.isEmpty()) {
      feed.published(vault, v.headSeq());
    }
    return plan.outcomes(recorded);
  }

  /**
   * Patches the delta a client sent for {@code path} over {@code basis} (null: nothing), as a
   * server does: a corrupt one is the protocol's {@link InvalidRequestException}, a target larger
   * than the largest file {@link FileTooLargeException}, found before it grows past the limit.
   */
  private Deltas.Patched received(String vault, NotePath path, byte[] basis, InputStream delta)
      throws IOException {
    try {
      return Deltas.patch(basis, delta, sizes.maxFileBytes());
    } catch (TargetTooLargeException e) {
      throw new FileTooLargeException(vault, path.value(), e.reached(), e.limit());
    } catch (FormatException e) {
      throw refused("the delta for \"" + path.value() + "\"", e);
    }
  }

  private static InvalidRequestException refused(String what, IOException e) {
    return (InvalidRequestException)
        new InvalidRequestException(what + " is refused: " + e.getMessage()).initCause(e);
  }

  // ---- history, snapshots, compaction ----

  @Override
  public synchronized List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    return vault(vault).history(path, beforeSeq, limit);
  }

  @Override
  public synchronized long seqAt(String vault, Instant time) throws IOException {
    Objects.requireNonNull(time, "time");
    return vault(vault).seqAt(time);
  }

  @Override
  public synchronized RemoteManifest manifestAt(String vault, long seq) throws IOException {
    VaultTransport.checkSeq("manifest at seq", seq);
    return vault(vault).manifestAt(seq);
  }

  @Override
  public synchronized SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    return vault(vault).snapshot(createNow, clock.instant());
  }

  @Override
  public synchronized RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    VaultTransport.checkSeq("snapshot seq", seq);
    return vault(vault).snapshotManifest(seq);
  }

  /**
   * Drops the ledger up to the oldest snapshot kept, as a server's compaction does; without a
   * snapshot nothing.
   *
   * @return the horizon afterwards
   */
  public synchronized long compact(String vault) throws IOException {
    MemoryVault v = vault(vault);
    return v.oldestSnapshot() < 0 ? v.horizon() : v.compact(v.oldestSnapshot());
  }

  /**
   * Drops the ledger up to {@code upToSeq}, which must not pass the oldest snapshot kept (so a
   * client behind the new horizon can catch up from a snapshot). Content stays.
   *
   * @return the horizon afterwards
   * @throws IllegalArgumentException if {@code upToSeq} passes the oldest snapshot, or there is
   *     none
   */
  public synchronized long compact(String vault, long upToSeq) throws IOException {
    return vault(vault).compact(upToSeq);
  }

  // ---- share links ----

  /** {@inheritDoc} An in-process remote serves no HTTP, so it makes no share links. */
  @Override
  public CreatedShare createShare(
      String vault, NotePath path, Instant expires, char[] password, String device)
      throws IOException {
    throw new InvalidRequestException("an in-process remote serves no share links");
  }

  /** {@inheritDoc} An in-process remote keeps no share links. */
  @Override
  public List<ShareInfo> listShares(String vault) throws IOException {
    manifest(vault); // NotFoundException for an unknown vault
    return List.of();
  }

  /** {@inheritDoc} An in-process remote keeps no share links. */
  @Override
  public void revokeShare(String vault, String id) throws IOException {
    throw new NotFoundException("vault \"" + vault + "\" has no share link \"" + id + "\"");
  }

  /** Ends every subscription and stops the feed's threads. */
  @Override
  public void close() {
    feed.closeAll(new RemoteUnavailableException("the in-process transport was closed"));
    feedThreads.shutdown();
  }

  private MemoryVault vault(String vault) throws NotFoundException {
    MemoryVault v = vaults.get(vault);
    if (v == null) {
      throw new NotFoundException("no vault \"" + vault + "\"");
    }
    return v;
  }
}
