package io.vaultsync.client.remote;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.CommitOptions;
import io.vaultsync.protocol.FetchItem;
import io.vaultsync.protocol.FetchReceiver;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Wraps a transport that has no wire (the in-process one) and estimates what a compact wire
 * protocol would carry: the delta bytes exactly, plus an estimate of each call's metadata (a fixed
 * {@value #CALL_OVERHEAD} bytes per call, {@value #HASH_BYTES} per hash, the UTF-8 length of each
 * path, 8 per number). It also counts calls by kind, which tests use to prove what a sync did.
 * Thread-safe if the wrapped transport is.
 *
 * <p>The counting of delta bytes as they stream is {@link WireBytes}'s; this class forwards each
 * method of the transport and adds its estimate.
 */
public final class CountingTransport implements VaultTransport, WireCounter {
  static final int CALL_OVERHEAD = 16;
  static final int HASH_BYTES = 32;

  private final VaultTransport inner;
  private final WireBytes wire = new WireBytes();
  private final AtomicLong changesSinceCalls = new AtomicLong();
  private final AtomicLong manifestCalls = new AtomicLong();
  private final AtomicLong snapshotManifestCalls = new AtomicLong();
  private final AtomicLong fetchCalls = new AtomicLong();
  private final AtomicLong fetchManyCalls = new AtomicLong();
  private final AtomicLong pushCalls = new AtomicLong();
  private final AtomicLong commitCalls = new AtomicLong();
  private final AtomicLong puts = new AtomicLong();
  private final AtomicLong moves = new AtomicLong();
  private final AtomicLong deletes = new AtomicLong();

  public CountingTransport(VaultTransport inner) {
    this.inner = Objects.requireNonNull(inner, "inner");
  }

  @Override
  public long bytesSent() {
    return wire.sent();
  }

  @Override
  public long bytesReceived() {
    return wire.received();
  }

  public long changesSinceCalls() {
    return changesSinceCalls.get();
  }

  /** Snapshot listings fetched (a catch-up past the compacted horizon). */
  public long snapshotManifestCalls() {
    return snapshotManifestCalls.get();
  }

  public long manifestCalls() {
    return manifestCalls.get();
  }

  public long fetchCalls() {
    return fetchCalls.get();
  }

  /** Batched fetches ({@link VaultTransport#fetchMany}), each of up to 1,000 files. */
  public long fetchManyCalls() {
    return fetchManyCalls.get();
  }

  public long pushCalls() {
    return pushCalls.get();
  }

  public long commitCalls() {
    return commitCalls.get();
  }

  /** Put mutations sent in commits (content uploads). */
  public long puts() {
    return puts.get();
  }

  public long moves() {
    return moves.get();
  }

  public long deletes() {
    return deletes.get();
  }

  @Override
  public void createVault(String vault) throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault));
    inner.createVault(vault);
    wire.received(CALL_OVERHEAD);
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    wire.sent(CALL_OVERHEAD);
    List<VaultInfo> out = inner.listVaults();
    for (VaultInfo v : out) {
      wire.received(utf8(v.name()) + 32);
    }
    wire.received(CALL_OVERHEAD);
    return out;
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    return changesSince(vault, afterSeq, limit, false);
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit, boolean folderMoves)
      throws IOException {
    changesSinceCalls.incrementAndGet();
    wire.sent(CALL_OVERHEAD + utf8(vault) + 16);
    ChangePage page = inner.changesSince(vault, afterSeq, limit, folderMoves);
    wire.received(
        CALL_OVERHEAD + 8 + changeBytes(page.changes()) + (long) HASH_BYTES * page.wanted().size());
    return page;
  }

  /** The estimated bytes of a manifest's answer. */
  private static long manifestBytes(RemoteManifest m) {
    long n = CALL_OVERHEAD + 8;
    for (RemoteEntry e : m.entries()) {
      n += utf8(e.path().value()) + HASH_BYTES + 16;
    }
    return n;
  }

  private static long changeBytes(List<Change> changes) {
    long n = 0;
    for (Change c : changes) {
      n += 8 + 1 + utf8(c.path().value()) + HASH_BYTES + 8 + utf8(c.device()) + 8;
      if (c.previousPath() != null) {
        n += utf8(c.previousPath().value());
      }
    }
    return n;
  }

  @Override
  public boolean takesFolderMoves() {
    return inner.takesFolderMoves();
  }

  @Override
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    return subscribe(vault, afterSeq, listener, false);
  }

  @Override
  public Subscription subscribe(
      String vault, long afterSeq, ChangeListener listener, boolean folderMoves)
      throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault) + 8);
    return inner.subscribe(
        vault,
        afterSeq,
        new ChangeListener() {
          @Override
          public void onChanges(List<Change> changes, long headSeq) {
            wire.received(8 + changeBytes(changes));
            listener.onChanges(changes, headSeq);
          }

          @Override
          public void onClosed(IOException cause) {
            listener.onClosed(cause);
          }
        },
        folderMoves);
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    manifestCalls.incrementAndGet();
    wire.sent(CALL_OVERHEAD + utf8(vault));
    RemoteManifest m = inner.manifest(vault);
    wire.received(manifestBytes(m));
    return m;
  }

  @Override
  public VaultRoot root(String vault) throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault));
    VaultRoot r = inner.root(vault);
    wire.received(CALL_OVERHEAD + 24 + HASH_BYTES);
    return r;
  }

  @Override
  public io.vaultsync.protocol.CreatedShare createShare(
      String vault,
      io.vaultsync.model.tree.NotePath path,
      java.time.Instant expires,
      char[] password,
      String device)
      throws IOException {
    return inner.createShare(vault, path, expires, password, device);
  }

  @Override
  public List<io.vaultsync.protocol.ShareInfo> listShares(String vault) throws IOException {
    return inner.listShares(vault);
  }

  @Override
  public void revokeShare(String vault, String id) throws IOException {
    inner.revokeShare(vault, id);
  }

  @Override
  public SnapshotInfo snapshot(String vault, boolean createNow) throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault) + 1);
    SnapshotInfo s = inner.snapshot(vault, createNow);
    wire.received(CALL_OVERHEAD + 32 + HASH_BYTES);
    return s;
  }

  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault) + (path == null ? 0 : utf8(path.value())) + 16);
    List<Change> out = inner.history(vault, path, beforeSeq, limit);
    wire.received(CALL_OVERHEAD + changeBytes(out));
    return out;
  }

  @Override
  public long seqAt(String vault, java.time.Instant time) throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault) + 8);
    long seq = inner.seqAt(vault, time);
    wire.received(CALL_OVERHEAD + 8);
    return seq;
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault) + 8);
    RemoteManifest m = inner.manifestAt(vault, seq);
    wire.received(manifestBytes(m));
    return m;
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    snapshotManifestCalls.incrementAndGet();
    wire.sent(CALL_OVERHEAD + utf8(vault) + 8);
    RemoteManifest m = inner.snapshotManifest(vault, seq);
    wire.received(manifestBytes(m));
    return m;
  }

  /** Per-item framing of a batched fetch: index, length prefixes and flags (an estimate). */
  private static final int FETCH_ITEM_OVERHEAD = 8;

  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    fetchManyCalls.incrementAndGet();
    wire.sent(CALL_OVERHEAD + utf8(vault) + items.size() * (2L * HASH_BYTES + 4));
    wire.received(CALL_OVERHEAD);
    inner.fetchMany(
        vault,
        items,
        new FetchReceiver() {
          @Override
          public OutputStream begin(int index) throws IOException {
            wire.received(FETCH_ITEM_OVERHEAD);
            return wire.countingReceived(receiver.begin(index));
          }

          @Override
          public void end(int index) throws IOException {
            receiver.end(index);
          }

          @Override
          public void notFound(int index, String message) throws IOException {
            wire.received(FETCH_ITEM_OVERHEAD + utf8(message == null ? "" : message));
            receiver.notFound(index, message);
          }

          @Override
          public boolean abandon(int index) throws IOException {
            return receiver.abandon(index);
          }
        });
  }

  @Override
  public void fetch(String vault, ContentHash target, ContentHash base, OutputStream deltaOut)
      throws IOException {
    fetchCalls.incrementAndGet();
    wire.sent(CALL_OVERHEAD + utf8(vault) + 2L * HASH_BYTES);
    wire.received(CALL_OVERHEAD);
    inner.fetch(vault, target, base, wire.countingReceived(deltaOut));
  }

  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    pushCalls.incrementAndGet();
    wire.sent(CALL_OVERHEAD + utf8(vault) + utf8(path.value()) + HASH_BYTES + utf8(device));
    RemoteEntry e = inner.push(vault, path, base, wire.countingSent(delta), device);
    wire.received(CALL_OVERHEAD + HASH_BYTES + 16);
    return e;
  }

  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    wire.sent(CALL_OVERHEAD + utf8(vault) + HASH_BYTES);
    boolean stored = inner.giveBack(vault, hash, wire.countingSent(delta), device);
    wire.received(CALL_OVERHEAD + 2);
    return stored;
  }

  @Override
  public List<Outcome> commit(
      String vault, List<Mutation> mutations, String device, CommitOptions options)
      throws IOException {
    commitCalls.incrementAndGet();
    long n = CALL_OVERHEAD + utf8(vault) + utf8(device);
    for (Mutation m : mutations) {
      n += utf8(m.path().value()) + HASH_BYTES + 1;
      if (m instanceof Mutation.Put p) {
        puts.incrementAndGet();
        n += p.deltaLength() + 4;
      } else if (m instanceof Mutation.Move mv) {
        moves.incrementAndGet();
        n += utf8(mv.to().value());
      } else if (m instanceof Mutation.MoveFolder mf) {
        moves.incrementAndGet();
        n += utf8(mf.to().value()) + 8;
      } else {
        deletes.incrementAndGet();
      }
    }
    wire.sent(n);
    List<Outcome> out = inner.commit(vault, mutations, device, options);
    wire.received(CALL_OVERHEAD + out.size() * (8L + HASH_BYTES + 8));
    return out;
  }

  @Override
  public void close() throws IOException {
    inner.close();
  }

  private static long utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
