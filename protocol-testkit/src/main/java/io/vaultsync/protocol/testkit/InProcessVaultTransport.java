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
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.QuotaExceededException;
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
import io.vaultsync.protocol.rules.VaultHead;
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
 * A {@link VaultTransport} whose vaults live in this process's memory: content by hash (every
 * version stays retrievable), head state by path, and an append-only ledger per vault. For
 * embedding sync in another Java app without a network, and as the reference the gRPC transport is
 * tested against. Contents are held whole in memory, so it suits notes, not large files.
 *
 * <p>Thread-safe: every call holds the instance's lock. Over 400 lines because it implements the
 * whole {@link VaultTransport} on one in-memory state; the commit rules are {@link CommitRules}'s.
 */
public final class InProcessVaultTransport implements VaultTransport {
  private final Map<String, VaultState> vaults = new HashMap<>();
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
  private final ChangeFeed feed = new ChangeFeed(this::changesSince, feedThreads);

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

  private static final class VaultState {
    final Map<ContentHash, byte[]> content = new HashMap<>();
    final TreeMap<NotePath, RemoteEntry> head = new TreeMap<>();

    /** Changes after {@link #horizon}, in seq order. */
    final List<Change> ledger = new ArrayList<>();

    /** Every change, in seq order: the version history, which compaction keeps. */
    final List<Change> history = new ArrayList<>();

    final TreeMap<Long, Snapshot> snapshots = new TreeMap<>();

    /** Content this vault lost ({@link #loseContent}) and wants back from devices. */
    final java.util.Set<ContentHash> wanted = new java.util.LinkedHashSet<>();

    long horizon;
    Instant lastChange;

    long headSeq() {
      return horizon + ledger.size();
    }
  }

  private record Snapshot(SnapshotInfo info, List<RemoteEntry> entries) {}

  @Override
  public synchronized void createVault(String vault) throws IOException {
    VaultTransport.checkVaultName(vault);
    if (vaults.containsKey(vault)) {
      throw new InvalidRequestException("vault \"" + vault + "\" already exists");
    }
    vaults.put(vault, new VaultState());
  }

  @Override
  public synchronized ChangePage changesSince(String vault, long afterSeq, int limit)
      throws IOException {
    VaultTransport.checkChangesArguments(afterSeq, limit);
    VaultState v = vault(vault);
    if (afterSeq < v.horizon) {
      return new ChangePage(List.of(), v.headSeq(), v.horizon, wantedAtHead(v));
    }
    int from = (int) Math.min(afterSeq - v.horizon, v.ledger.size());
    int to = (int) Math.min(v.ledger.size(), (long) from + limit);
    return new ChangePage(v.ledger.subList(from, to), v.headSeq(), v.horizon, wantedAtHead(v));
  }

  /** The lost content the vault's head names, for a change page. */
  private static List<ContentHash> wantedAtHead(VaultState v) {
    if (v.wanted.isEmpty()) {
      return List.of();
    }
    java.util.Set<ContentHash> atHead = new java.util.LinkedHashSet<>();
    for (RemoteEntry e : v.head.values()) {
      if (v.wanted.contains(e.hash()) && atHead.size() < Limits.WANTED_PER_PAGE) {
        atHead.add(e.hash());
      }
    }
    return List.copyOf(atHead);
  }

  /**
   * Forgets the content {@code hash} of {@code vault}, as a server whose store lost or damaged it
   * would: fetching it fails with {@link NotFoundException} and change pages ask devices to give it
   * back ({@link #giveBack}) while the head names it. For tests of healing.
   */
  public synchronized void loseContent(String vault, ContentHash hash) throws IOException {
    VaultState v = vault(vault);
    v.content.remove(hash);
    v.wanted.add(hash);
  }

  /** {@inheritDoc} Only content this vault lost ({@link #loseContent}) is taken. */
  @Override
  public synchronized boolean giveBack(
      String vault, ContentHash hash, InputStream delta, String device) throws IOException {
    VaultState v = vault(vault);
    if (!v.wanted.contains(hash)) {
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
    v.content.put(hash, patched.content());
    v.wanted.remove(hash);
    return true;
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    VaultTransport.checkSeq("subscribe after seq", afterSeq);
    synchronized (this) {
      vault(vault);
    }
    return feed.subscribe(vault, afterSeq, listener);
  }

  /** Live subscriptions of {@code vault}. */
  public int subscribers(String vault) {
    return feed.subscribers(vault);
  }

  @Override
  public synchronized RemoteManifest manifest(String vault) throws IOException {
    VaultState v = vault(vault);
    return new RemoteManifest(v.headSeq(), new ArrayList<>(v.head.values()));
  }

  @Override
  public synchronized List<VaultInfo> listVaults() {
    List<VaultInfo> out = new ArrayList<>();
    for (Map.Entry<String, VaultState> e : new TreeMap<>(vaults).entrySet()) {
      VaultState v = e.getValue();
      long bytes = v.head.values().stream().mapToLong(RemoteEntry::size).sum();
      out.add(new VaultInfo(e.getKey(), v.head.size(), bytes, v.headSeq(), v.lastChange));
    }
    return out;
  }

  @Override
  public synchronized void fetch(
      String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    VaultState v = vault(vault);
    byte[] content = v.content.get(target);
    if (content == null) {
      throw new NotFoundException("content " + target.hex() + " is not stored in vault " + vault);
    }
    // A base this vault does not store costs only bytes, as on the vaultsync server: the delta is
    // encoded against nothing, which makes the target from any basis.
    byte[] basis = base == null ? null : v.content.get(base);
    if (basis == null) {
      basis = new byte[0];
    }
    Deltas.encode(basis, content, deltaOut);
  }

  /** {@inheritDoc} The whole batch is answered under one lock, from one state of the vault. */
  @Override
  public synchronized void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    VaultTransport.checkFetchItems(items.size());
    vault(vault); // NotFoundException for an unknown vault, before any item
    VaultTransport.super.fetchMany(vault, items, receiver);
  }

  @Override
  public synchronized RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    VaultState v = vault(vault);
    CommitRules.checkPush(vault, VaultHead.of(v.head), path, base);
    Deltas.Patched patched =
        received(vault, path, base == null ? null : v.content.get(base), delta);
    checkQuota(vault, v, Map.of(patched.hash(), patched.content()));
    v.content.putIfAbsent(patched.hash(), patched.content());
    v.wanted.remove(patched.hash());
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
    v.ledger.add(change);
    v.history.add(change);
    v.lastChange = change.time();
    RemoteEntry entry = entryOf(change);
    v.head.put(path, entry);
    feed.published(vault, v.headSeq());
    return entry;
  }

  /** {@inheritDoc} The rules are {@link CommitRules}'s, as on a server. */
  @Override
  public synchronized List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(options, "options");
    CommitRules.checkBatchSize(mutations.size());
    VaultState v = vault(vault);
    rules.checkDeletes(
        vault, device, mutations, options, recentDeletes, clock.millis(), () -> v.head.size());
    Map<ContentHash, byte[]> added = new HashMap<>();
    CommitPlan plan =
        CommitRules.plan(
            VaultHead.of(v.head),
            mutations,
            options,
            (put, basis) -> {
              byte[] base = null;
              if (basis != null) {
                base =
                    added.containsKey(basis.hash())
                        ? added.get(basis.hash())
                        : v.content.get(basis.hash());
              }
              Deltas.Patched patched = received(vault, put.path(), base, put.deltaStream());
              added.putIfAbsent(patched.hash(), patched.content());
              return new CommitRules.Stored(patched.hash(), patched.content().length);
            });
    checkQuota(vault, v, added);
    Instant now = clock.instant();
    List<Change> recorded = new ArrayList<>(plan.changes().size());
    for (NewChange n : plan.changes()) {
      Change c =
          new Change(
              v.headSeq() + 1,
              n.op(),
              n.path(),
              n.previousPath(),
              n.hash(),
              n.size(),
              device,
              now,
              n.confirmed());
      v.ledger.add(c);
      v.history.add(c);
      if (c.op() == Change.Op.MOVE) {
        v.head.remove(c.previousPath());
      }
      if (c.op() == Change.Op.DELETE) {
        v.head.remove(c.path());
      } else {
        v.head.put(c.path(), entryOf(c));
      }
      recorded.add(c);
    }
    added.forEach(v.content::putIfAbsent);
    v.wanted.removeAll(added.keySet()); // stored again: no longer wanted
    if (!recorded.isEmpty()) {
      v.lastChange = now;
      feed.published(vault, v.headSeq());
    }
    return plan.outcomes(recorded);
  }

  @Override
  public synchronized List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    VaultTransport.checkHistoryArguments(beforeSeq, limit);
    VaultState v = vault(vault);
    List<Change> out = new ArrayList<>();
    for (int i = v.history.size() - 1; i >= 0 && out.size() < limit; i--) {
      Change c = v.history.get(i);
      if (c.seq() < beforeSeq
          && (path == null || path.equals(c.path()) || path.equals(c.previousPath()))) {
        out.add(c);
      }
    }
    return out;
  }

  @Override
  public synchronized long seqAt(String vault, Instant time) throws IOException {
    Objects.requireNonNull(time, "time");
    long seq = 0;
    for (Change c : vault(vault).history) {
      if (!c.time().isAfter(time)) {
        seq = c.seq();
      }
    }
    return seq;
  }

  @Override
  public synchronized RemoteManifest manifestAt(String vault, long seq) throws IOException {
    VaultTransport.checkSeq("manifest at seq", seq);
    VaultState v = vault(vault);
    TreeMap<NotePath, RemoteEntry> files = new TreeMap<>();
    for (Change c : v.history) {
      if (c.seq() > seq) {
        break;
      }
      if (c.op() == Change.Op.MOVE) {
        files.remove(c.previousPath());
      }
      if (c.op() == Change.Op.DELETE) {
        files.remove(c.path());
      } else {
        files.put(c.path(), entryOf(c));
      }
    }
    return new RemoteManifest(Math.min(seq, v.headSeq()), new ArrayList<>(files.values()));
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

  /**
   * Refuses {@code adding} (new contents by hash) if it would take {@code v} past its quota. The
   * usage is the total size of the distinct contents the vault's history names, each once at its
   * full size; content the vault keeps already adds nothing.
   */
  private void checkQuota(String vault, VaultState v, Map<ContentHash, byte[]> adding)
      throws QuotaExceededException {
    if (sizes.vaultQuotaBytes() == Long.MAX_VALUE) {
      return;
    }
    Map<ContentHash, Long> kept = new HashMap<>();
    for (Change c : v.history) {
      kept.putIfAbsent(c.hash(), c.size());
    }
    long usage = kept.values().stream().mapToLong(Long::longValue).sum();
    long add = 0;
    for (Map.Entry<ContentHash, byte[]> e : adding.entrySet()) {
      add += kept.containsKey(e.getKey()) ? 0 : e.getValue().length;
    }
    if (add > 0 && usage + add > sizes.vaultQuotaBytes()) {
      throw new QuotaExceededException(vault, usage, add, sizes.vaultQuotaBytes());
    }
  }

  private static RemoteEntry entryOf(Change c) {
    return new RemoteEntry(c.path(), c.hash(), c.size(), c.seq());
  }

  /** The content stored under {@code hash} in {@code vault}, or null: every version is kept. */
  public synchronized byte[] content(String vault, ContentHash hash) throws IOException {
    byte[] c = vault(vault).content.get(hash);
    return c == null ? null : c.clone();
  }

  /** Ends every subscription and stops the feed's threads. */
  @Override
  public synchronized SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    VaultState v = vault(vault);
    Map.Entry<Long, Snapshot> newest = v.snapshots.lastEntry();
    if (newest != null && (!createNow || newest.getKey() == v.headSeq())) {
      return newest.getValue().info();
    }
    if (!createNow) {
      throw new NotFoundException("vault \"" + vault + "\" keeps no snapshot yet");
    }
    List<RemoteEntry> entries = new ArrayList<>(v.head.values());
    VaultRoot root = VaultRoot.of(new RemoteManifest(v.headSeq(), entries));
    SnapshotInfo info =
        new SnapshotInfo(root.seq(), root.files(), root.bytes(), root.root(), clock.instant());
    v.snapshots.put(info.seq(), new Snapshot(info, entries));
    return info;
  }

  @Override
  public synchronized RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    VaultTransport.checkSeq("snapshot seq", seq);
    Snapshot s = vault(vault).snapshots.get(seq);
    if (s == null) {
      throw new NotFoundException("vault \"" + vault + "\" keeps no snapshot at seq " + seq);
    }
    return new RemoteManifest(seq, s.entries());
  }

  @Override
  public synchronized VaultRoot root(String vault) throws IOException {
    VaultState v = vault(vault);
    return VaultRoot.of(new RemoteManifest(v.headSeq(), new ArrayList<>(v.head.values())));
  }

  /**
   * Drops the ledger up to the oldest snapshot kept, as a server's compaction does; without a
   * snapshot nothing.
   *
   * @return the horizon afterwards
   */
  public synchronized long compact(String vault) throws IOException {
    VaultState v = vault(vault);
    return v.snapshots.isEmpty() ? v.horizon : compact(vault, v.snapshots.firstKey());
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
    VaultState v = vault(vault);
    if (v.snapshots.isEmpty() || upToSeq > v.snapshots.firstKey()) {
      throw new IllegalArgumentException(
          "compacting vault \""
              + vault
              + "\" up to seq "
              + upToSeq
              + "; expected at most the oldest snapshot's seq "
              + (v.snapshots.isEmpty() ? "(there is none)" : v.snapshots.firstKey()));
    }
    if (upToSeq > v.horizon) {
      v.ledger.subList(0, (int) (upToSeq - v.horizon)).clear();
      v.horizon = upToSeq;
    }
    return v.horizon;
  }

  public void close() {
    feed.closeAll(new RemoteUnavailableException("the in-process transport was closed"));
    feedThreads.shutdown();
  }

  private VaultState vault(String vault) throws NotFoundException {
    VaultState v = vaults.get(vault);
    if (v == null) {
      throw new NotFoundException("no vault \"" + vault + "\"");
    }
    return v;
  }

  /** {@inheritDoc} An in-process remote serves no HTTP, so it makes no share links. */
  @Override
  public CreatedShare createShare(
      String vault, NotePath path, java.time.Instant expires, char[] password, String device)
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
}
