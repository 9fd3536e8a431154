package io.vaultsync.core.transport;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.format.DeltaReader;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.core.tree.NotePath;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link VaultTransport} whose vaults live in this process's memory: content by hash (every
 * version stays retrievable), head state by path, and an append-only ledger per vault. For
 * embedding sync in another Java app without a network, and as the reference the gRPC transport is
 * tested against. Contents are held whole in memory, so it suits notes, not large files.
 *
 * <p>Thread-safe: every call holds the instance's lock.
 */
public final class InProcessVaultTransport implements VaultTransport {
  private final Map<String, VaultState> vaults = new HashMap<>();
  private final Clock clock;

  public InProcessVaultTransport() {
    this(Clock.systemUTC());
  }

  public InProcessVaultTransport(Clock clock) {
    this.clock = clock;
  }

  private static final class VaultState {
    final Map<ContentHash, byte[]> content = new HashMap<>();
    final TreeMap<NotePath, RemoteEntry> head = new TreeMap<>();
    final List<Change> ledger = new ArrayList<>();

    long headSeq() {
      return ledger.size();
    }
  }

  @Override
  public synchronized void createVault(String vault) throws IOException {
    if (vaults.containsKey(vault)) {
      throw new IllegalArgumentException("vault \"" + vault + "\" already exists");
    }
    vaults.put(vault, new VaultState());
  }

  @Override
  public synchronized ChangePage changesSince(String vault, long afterSeq, int limit)
      throws IOException {
    if (afterSeq < 0 || limit < 1) {
      throw new IllegalArgumentException(
          "changes after seq " + afterSeq + ", limit " + limit + "; expected >= 0 and >= 1");
    }
    VaultState v = vault(vault);
    int from = (int) Math.min(afterSeq, v.ledger.size());
    int to = (int) Math.min(v.ledger.size(), (long) from + limit);
    return new ChangePage(v.ledger.subList(from, to), v.headSeq());
  }

  @Override
  public synchronized RemoteManifest manifest(String vault) throws IOException {
    VaultState v = vault(vault);
    return new RemoteManifest(v.headSeq(), new ArrayList<>(v.head.values()));
  }

  @Override
  public synchronized RemoteEntry fetch(
      String vault, NotePath path, ContentHash base, OutputStream deltaOut) throws IOException {
    VaultState v = vault(vault);
    RemoteEntry current = v.head.get(path);
    if (current == null) {
      throw new NotFoundException("no file " + path + " in vault " + vault);
    }
    byte[] basis = base == null ? new byte[0] : v.content.get(base);
    if (basis == null) {
      throw new NotFoundException(
          "base version " + base.hex() + " is not stored in vault " + vault);
    }
    Signature sig = SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length));
    DeltaEncoder encoder = new DeltaEncoder(sig, new DeltaWriter(deltaOut));
    byte[] target = v.content.get(current.hash());
    encoder.update(target, 0, target.length);
    encoder.finish();
    return current;
  }

  @Override
  public synchronized RemoteEntry push(
      String vault, NotePath path, ContentHash base, InputStream delta, String device)
      throws IOException {
    VaultState v = vault(vault);
    RemoteEntry current = v.head.get(path);
    if (!sameVersion(current, base)) {
      throw new StaleVersionException(vault, path.value(), base, current);
    }
    byte[] basis = base == null ? new byte[0] : v.content.get(base);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(basis), out);
    DeltaReader.read(delta, patcher);
    byte[] content = out.toByteArray();
    ContentHash hash = patcher.verifiedHash();
    v.content.putIfAbsent(hash, content);
    long seq = v.headSeq() + 1;
    RemoteEntry entry = new RemoteEntry(path, hash, content.length, seq);
    v.ledger.add(
        new Change(seq, Change.Op.PUT, path, null, hash, content.length, device, clock.instant()));
    v.head.put(path, entry);
    return entry;
  }

  @Override
  public synchronized long delete(String vault, NotePath path, ContentHash expected, String device)
      throws IOException {
    VaultState v = vault(vault);
    RemoteEntry current = v.head.get(path);
    if (current == null || !sameVersion(current, expected)) {
      throw new StaleVersionException(vault, path.value(), expected, current);
    }
    long seq = v.headSeq() + 1;
    v.ledger.add(
        new Change(
            seq,
            Change.Op.DELETE,
            path,
            null,
            current.hash(),
            current.size(),
            device,
            clock.instant()));
    v.head.remove(path);
    return seq;
  }

  @Override
  public synchronized RemoteEntry move(
      String vault, NotePath from, NotePath to, ContentHash expected, String device)
      throws IOException {
    VaultState v = vault(vault);
    RemoteEntry current = v.head.get(from);
    if (current == null || !sameVersion(current, expected)) {
      throw new StaleVersionException(vault, from.value(), expected, current);
    }
    RemoteEntry occupant = v.head.get(to);
    if (occupant != null) {
      throw new StaleVersionException(vault, to.value(), null, occupant);
    }
    long seq = v.headSeq() + 1;
    RemoteEntry moved = new RemoteEntry(to, current.hash(), current.size(), seq);
    v.ledger.add(
        new Change(
            seq,
            Change.Op.MOVE,
            to,
            from,
            current.hash(),
            current.size(),
            device,
            clock.instant()));
    v.head.remove(from);
    v.head.put(to, moved);
    return moved;
  }

  /** The content stored under {@code hash} in {@code vault}, or null: every version is kept. */
  public synchronized byte[] content(String vault, ContentHash hash) throws IOException {
    byte[] c = vault(vault).content.get(hash);
    return c == null ? null : c.clone();
  }

  @Override
  public void close() {}

  private VaultState vault(String vault) throws NotFoundException {
    VaultState v = vaults.get(vault);
    if (v == null) {
      throw new NotFoundException("no vault \"" + vault + "\"");
    }
    return v;
  }

  private static boolean sameVersion(RemoteEntry current, ContentHash expected) {
    return current == null ? expected == null : current.hash().equals(expected);
  }
}
