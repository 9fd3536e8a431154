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
import io.vaultsync.protocol.RestartableOutput;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.Subscription;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.VaultTransport;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
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
 * <p>Over 400 lines: it forwards every method of the transport and counts its bytes, one short
 * method each.
 */
public final class CountingTransport implements VaultTransport, WireCounter {
  static final int CALL_OVERHEAD = 16;
  static final int HASH_BYTES = 32;

  private final VaultTransport inner;
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong received = new AtomicLong();
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
    return sent.get();
  }

  @Override
  public long bytesReceived() {
    return received.get();
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
    sent.addAndGet(CALL_OVERHEAD + utf8(vault));
    inner.createVault(vault);
    received.addAndGet(CALL_OVERHEAD);
  }

  @Override
  public List<VaultInfo> listVaults() throws IOException {
    sent.addAndGet(CALL_OVERHEAD);
    List<VaultInfo> out = inner.listVaults();
    for (VaultInfo v : out) {
      received.addAndGet(utf8(v.name()) + 32);
    }
    received.addAndGet(CALL_OVERHEAD);
    return out;
  }

  @Override
  public ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException {
    changesSinceCalls.incrementAndGet();
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 16);
    ChangePage page = inner.changesSince(vault, afterSeq, limit);
    received.addAndGet(
        CALL_OVERHEAD + 8 + changeBytes(page.changes()) + (long) HASH_BYTES * page.wanted().size());
    return page;
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
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener)
      throws IOException {
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 8);
    return inner.subscribe(
        vault,
        afterSeq,
        new ChangeListener() {
          @Override
          public void onChanges(List<Change> changes, long headSeq) {
            received.addAndGet(8 + changeBytes(changes));
            listener.onChanges(changes, headSeq);
          }

          @Override
          public void onClosed(IOException cause) {
            listener.onClosed(cause);
          }
        });
  }

  @Override
  public RemoteManifest manifest(String vault) throws IOException {
    manifestCalls.incrementAndGet();
    sent.addAndGet(CALL_OVERHEAD + utf8(vault));
    RemoteManifest m = inner.manifest(vault);
    long n = CALL_OVERHEAD + 8;
    for (RemoteEntry e : m.entries()) {
      n += utf8(e.path().value()) + HASH_BYTES + 16;
    }
    received.addAndGet(n);
    return m;
  }

  @Override
  public VaultRoot root(String vault) throws IOException {
    sent.addAndGet(CALL_OVERHEAD + utf8(vault));
    VaultRoot r = inner.root(vault);
    received.addAndGet(CALL_OVERHEAD + 24 + HASH_BYTES);
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
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 1);
    SnapshotInfo s = inner.snapshot(vault, createNow);
    received.addAndGet(CALL_OVERHEAD + 32 + HASH_BYTES);
    return s;
  }

  @Override
  public List<Change> history(String vault, NotePath path, long beforeSeq, int limit)
      throws IOException {
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + (path == null ? 0 : utf8(path.value())) + 16);
    List<Change> out = inner.history(vault, path, beforeSeq, limit);
    received.addAndGet(CALL_OVERHEAD + changeBytes(out));
    return out;
  }

  @Override
  public long seqAt(String vault, java.time.Instant time) throws IOException {
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 8);
    long seq = inner.seqAt(vault, time);
    received.addAndGet(CALL_OVERHEAD + 8);
    return seq;
  }

  @Override
  public RemoteManifest manifestAt(String vault, long seq) throws IOException {
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 8);
    RemoteManifest m = inner.manifestAt(vault, seq);
    long n = CALL_OVERHEAD + 8;
    for (RemoteEntry e : m.entries()) {
      n += utf8(e.path().value()) + HASH_BYTES + 16;
    }
    received.addAndGet(n);
    return m;
  }

  @Override
  public RemoteManifest snapshotManifest(String vault, long seq) throws IOException {
    snapshotManifestCalls.incrementAndGet();
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 8);
    RemoteManifest m = inner.snapshotManifest(vault, seq);
    long n = CALL_OVERHEAD + 8;
    for (RemoteEntry e : m.entries()) {
      n += utf8(e.path().value()) + HASH_BYTES + 16;
    }
    received.addAndGet(n);
    return m;
  }

  /** Per-item framing of a batched fetch: index, length prefixes and flags (an estimate). */
  private static final int FETCH_ITEM_OVERHEAD = 8;

  @Override
  public void fetchMany(String vault, List<FetchItem> items, FetchReceiver receiver)
      throws IOException {
    fetchManyCalls.incrementAndGet();
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + items.size() * (2L * HASH_BYTES + 4));
    received.addAndGet(CALL_OVERHEAD);
    inner.fetchMany(
        vault,
        items,
        new FetchReceiver() {
          @Override
          public OutputStream begin(int index) throws IOException {
            received.addAndGet(FETCH_ITEM_OVERHEAD);
            return countingReceived(receiver.begin(index));
          }

          @Override
          public void end(int index) throws IOException {
            receiver.end(index);
          }

          @Override
          public void notFound(int index, String message) throws IOException {
            received.addAndGet(FETCH_ITEM_OVERHEAD + utf8(message == null ? "" : message));
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
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + 2L * HASH_BYTES);
    received.addAndGet(CALL_OVERHEAD);
    inner.fetch(vault, target, base, countingReceived(deltaOut));
  }

  /**
   * {@code out}, counting every byte written through it as received; restartable (a retried fetch)
   * when {@code out} is.
   */
  private OutputStream countingReceived(OutputStream out) {
    if (out instanceof RestartableOutput r) {
      return new RestartableCounting(out, r);
    }
    return new Counting(out);
  }

  /** Counts the bytes written through it as received. */
  private class Counting extends FilterOutputStream {
    Counting(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      received.incrementAndGet();
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      received.addAndGet(len);
    }
  }

  /** As {@link Counting}, passing a restart on. */
  private final class RestartableCounting extends Counting implements RestartableOutput {
    private final RestartableOutput target;

    RestartableCounting(OutputStream out, RestartableOutput target) {
      super(out);
      this.target = target;
    }

    @Override
    public void restart() throws IOException {
      target.restart();
    }
  }

  @Override
  public RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    pushCalls.incrementAndGet();
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + utf8(path.value()) + HASH_BYTES + utf8(device));
    RemoteEntry e = inner.push(vault, path, base, countingSent(delta), device);
    received.addAndGet(CALL_OVERHEAD + HASH_BYTES + 16);
    return e;
  }

  /** {@code delta}, counting each byte read from it as sent. */
  private InputStream countingSent(InputStream delta) {
    return new FilterInputStream(delta) {
      @Override
      public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
          sent.incrementAndGet();
        }
        return b;
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        if (n > 0) {
          sent.addAndGet(n);
        }
        return n;
      }
    };
  }

  @Override
  public boolean giveBack(String vault, ContentHash hash, InputStream delta, String device)
      throws IOException {
    sent.addAndGet(CALL_OVERHEAD + utf8(vault) + HASH_BYTES);
    boolean stored = inner.giveBack(vault, hash, countingSent(delta), device);
    received.addAndGet(CALL_OVERHEAD + 2);
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
      } else {
        deletes.incrementAndGet();
      }
    }
    sent.addAndGet(n);
    List<Outcome> out = inner.commit(vault, mutations, device, options);
    received.addAndGet(CALL_OVERHEAD + out.size() * (8L + HASH_BYTES + 8));
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
