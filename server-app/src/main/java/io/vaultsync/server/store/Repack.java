package io.vaultsync.server.store;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One repack of a {@link PackContentStore}: every object of the packs committed when it starts is
 * written into one new pack, each either whole or, where the {@link DeltaPlan} names a newer
 * version and the delta is below {@link #WORTH} of the object's size, as a delta against that
 * version (delta-core's format, verified on every read).
 *
 * <p>Crash safety: the new pack (framed, {@link PackFormat} version 2) is committed by a {@link
 * PackWriter} (the index rename is the commit point); only then does the store point its objects at
 * the new pack and remove the old packs (each index first renamed to a marker that proves the pack
 * was replaced, see {@link PackContentStore#switchTo}). A crash before the commit point leaves
 * temporary files that opening the store removes; after it, old and new packs both hold every
 * object (valid duplicates), or old packs with their marker, which opening the store removes. A
 * plain repack drops no object; a collection ({@link #collect}, content GC) leaves out the objects
 * no root, kept delta or pin needs.
 *
 * <p>Whole objects are hashed as they are copied and delta objects are verified when they are
 * re-encoded. A damaged object stops the run before its commit point ({@link #run} returns null):
 * the store marks it damaged and the caller runs a new repack, which leaves every pack holding a
 * damaged object out, so those files stay as they are for {@code vaultsync server check --repair}.
 *
 * <p>Chains: a delta's base is the plan's newer version; a base's own chain counts, so no object is
 * more than {@link DeltaChains#MAX_DEPTH} deltas from a whole one (every ninth version of a long
 * history stays whole), and a plan with a cycle (a file that went back to an earlier content) is
 * cut where the cycle closes.
 */
final class Repack {
  /** A delta is kept only if it is smaller than this fraction of the object. */
  static final double WORTH = 0.5;

  /** A copy found damaged during the run: reported to the store before the run gives up. */
  private record Damage(ObjectLocation where, Exception cause) {}

  private final PackContentStore store;
  private final Path folder;
  private final DeltaPlan plan;

  Repack(PackContentStore store, Path folder, DeltaPlan plan) {
    this.store = store;
    this.folder = folder;
    this.plan = plan;
  }

  /** Runs the repack; null if it stopped at a damaged object (reported to the store). */
  RepackStats run() throws IOException {
    GcStats g = rewrite(null);
    return g == null ? null : g.repack();
  }

  /**
   * Content GC: pins (see {@link PackContentStore}), reads the roots, then rewrites the packs
   * committed so far without the objects neither the roots, nor a kept delta, nor a pin need; null
   * if it stopped at a damaged object (reported to the store).
   */
  GcStats collect(ContentRoots roots) throws IOException {
    store.pins().start();
    try {
      return rewrite(roots.named());
    } finally {
      store.pins().stop();
    }
  }

  /** Everything in {@code start} and the bases their stored deltas need, transitively. */
  private Set<ContentHash> withBases(Set<ContentHash> start) {
    Set<ContentHash> all = new HashSet<>(start);
    java.util.ArrayDeque<ContentHash> work = new java.util.ArrayDeque<>(start);
    while (!work.isEmpty()) {
      ObjectLocation l = store.location(work.pop());
      if (l != null && l.base() != null && all.add(l.base())) {
        work.push(l.base());
      }
    }
    return all;
  }

  /**
   * Rewrites the packs committed now into one, leaving out every pack holding a damaged object;
   * with {@code named} (null: keep everything) the objects outside it (and outside the bases kept
   * deltas need and the pins) are left out. Null if it stopped at a damaged object.
   */
  private GcStats rewrite(Set<ContentHash> named) throws IOException {
    Set<String> damagedPacks = store.damagedPacks();
    List<Pack> old = new ArrayList<>();
    for (Pack p : store.packs()) {
      if (!damagedPacks.contains(p.id())) {
        old.add(p);
      }
    }
    if (old.isEmpty()) {
      return new GcStats(0, 0, 0, new RepackStats(0, 0, 0, 0, 0, 0));
    }
    Set<FileChannel> oldChannels = new HashSet<>();
    long bytesBefore = 0;
    for (Pack p : old) {
      oldChannels.add(p.channel());
      bytesBefore += p.channel().size();
    }
    List<ContentHash> objects = new ArrayList<>();
    for (ContentHash h : store.hashes()) {
      ObjectLocation l = store.location(h);
      if (l != null && oldChannels.contains(l.channel())) {
        objects.add(h);
      }
    }
    Set<ContentHash> drop = new HashSet<>();
    if (named != null) {
      Set<ContentHash> keep = new HashSet<>(named);
      keep.addAll(store.pins().pinned());
      keep = withBases(keep);
      for (ContentHash x : objects) {
        if (!keep.contains(x)) {
          drop.add(x);
        }
      }
      objects.removeAll(drop);
    }
    objects.sort(null);
    Map<ContentHash, ContentHash> bases = plannedBases(new HashSet<>(objects), drop);

    Map<ContentHash, Damage> damaged = new HashMap<>();
    long deltas = 0;
    long encoded = 0;
    try (PackWriter pack = PackWriter.create(folder)) {
      for (ContentHash x : objects) {
        ObjectLocation l = store.location(x);
        if (l == null) {
          continue; // found damaged meanwhile: no longer served, stays in its pack
        }
        ContentHash base = bases.get(x);
        PackIndexFormat.Entry entry;
        if (base != null && base.equals(l.base())) {
          entry =
              pack.copy(
                  new PackIndexFormat.Entry(x, 0, l.length(), base, l.fullLength()),
                  l.channel(),
                  l.offset(),
                  null);
        } else if (base != null || l.base() != null) {
          byte[] target = materialized(x, l, damaged);
          if (target == null) {
            break;
          }
          byte[] delta = null;
          if (base != null) {
            byte[] basis = materialized(base, store.location(base), damaged);
            if (basis == null) {
              break;
            }
            delta = delta(basis, target);
            encoded++;
          }
          if (delta != null && delta.length < WORTH * target.length) {
            entry =
                pack.append(
                    new PackIndexFormat.Entry(x, 0, delta.length, base, target.length), delta);
          } else {
            entry = pack.append(new PackIndexFormat.Entry(x, 0, target.length), target);
          }
        } else {
          MessageDigest md = ContentHash.newDigest();
          entry =
              pack.copy(new PackIndexFormat.Entry(x, 0, l.length()), l.channel(), l.offset(), md);
          if (!ContentHash.finish(md).equals(x)) {
            damaged.putIfAbsent(
                x, new Damage(l, new CorruptDataException("its stored bytes hash differently")));
            break;
          }
        }
        if (entry.isDelta()) {
          deltas++;
        }
      }
      if (!damaged.isEmpty()) {
        damaged.forEach((h, d) -> store.damaged(h, d.where(), d.cause()));
        return null; // before the commit point: the temporary files go, nothing changed
      }
      long pinned = 0;
      long droppedBytes = 0;
      if (!drop.isEmpty()) {
        // Commits went on meanwhile: what they staged or deduplicated since the roots were read is
        // kept after all (as it is stored), and the rest is condemned before it goes.
        store.gcHook.accept("rewritten");
        List<ContentHash> late = new ArrayList<>(store.pins().condemn(drop, this::withBases));
        store.gcHook.accept("condemned");
        late.sort(null);
        for (ContentHash x : late) {
          ObjectLocation l = store.location(x);
          if (l == null) {
            continue; // found damaged meanwhile: stays in its pack
          }
          pack.copy(
              new PackIndexFormat.Entry(x, 0, l.length(), l.base(), l.fullLength()),
              l.channel(),
              l.offset(),
              null);
          if (l.base() != null) {
            deltas++;
          }
        }
        drop.removeAll(late);
        pinned = late.size();
        for (ContentHash x : drop) {
          ObjectLocation l = store.location(x);
          droppedBytes += l == null ? 0 : l.fullLength();
        }
      }
      long length = pack.length();
      List<PackIndexFormat.Entry> entries = pack.entries();
      FileChannel ch = pack.commit();
      store.switchTo(pack.id(), ch, entries, old, drop);
      return new GcStats(
          drop.size(),
          droppedBytes,
          pinned,
          new RepackStats(old.size(), bytesBefore, length, entries.size(), deltas, encoded));
    }
  }

  /**
   * The base each object gets: the plan's newer version when the object may be a delta, both are
   * small enough and stored, no cycle closes through it and the chain stays within {@link
   * DeltaChains#MAX_DEPTH}.
   */
  private Map<ContentHash, ContentHash> plannedBases(
      Set<ContentHash> objects, Set<ContentHash> dropped) {
    Map<ContentHash, ContentHash> bases = new HashMap<>();
    for (ContentHash x : objects) {
      ContentHash b = plan.newerOf().get(x);
      if (b == null || b.equals(x) || plan.keepWhole().contains(x) || dropped.contains(b)) {
        continue;
      }
      ObjectLocation lx = store.location(x);
      ObjectLocation lb = store.location(b);
      if (lb == null
          || lx.fullLength() > DeltaChains.MAX_OBJECT
          || lb.fullLength() > DeltaChains.MAX_OBJECT) {
        continue;
      }
      bases.put(x, b);
    }
    Map<ContentHash, Integer> depth = new HashMap<>();
    for (ContentHash start : objects) {
      List<ContentHash> walk = new ArrayList<>();
      Set<ContentHash> onWalk = new HashSet<>();
      ContentHash h = start;
      int d;
      while (true) {
        Integer known = depth.get(h);
        if (known != null) {
          d = known;
          break;
        }
        if (!objects.contains(h)) {
          d = currentDepth(h);
          break;
        }
        if (!onWalk.add(h)) {
          bases.remove(walk.get(walk.size() - 1)); // the cycle closes here: keep that one whole
          d = -1;
          break;
        }
        walk.add(h);
        ContentHash b = bases.get(h);
        if (b == null) {
          d = -1;
          break;
        }
        h = b;
      }
      for (int i = walk.size() - 1; i >= 0; i--) {
        ContentHash x = walk.get(i);
        d = bases.containsKey(x) ? d + 1 : 0;
        if (d > DeltaChains.MAX_DEPTH) {
          bases.remove(x);
          d = 0;
        }
        depth.put(x, d);
      }
    }
    return bases;
  }

  /** Deltas between {@code h} and a whole object now (for bases outside this repack). */
  private int currentDepth(ContentHash h) {
    int d = 0;
    ObjectLocation l = store.location(h);
    while (l != null && l.base() != null && d <= DeltaChains.MAX_DEPTH) {
      d++;
      l = store.location(l.base());
    }
    return d;
  }

  private static byte[] delta(byte[] basis, byte[] target) throws IOException {
    Signature sig =
        Deltas.signature(
            new ByteArrayInputStream(basis), SignatureParams.forBasisLength(basis.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Deltas.delta(sig, new ByteArrayInputStream(target), out);
    return out.toByteArray();
  }

  /**
   * The verified full content of {@code h} (stored at {@code l}), or null, noted in {@code
   * damaged}, if it cannot be rebuilt.
   */
  private byte[] materialized(ContentHash h, ObjectLocation l, Map<ContentHash, Damage> damaged)
      throws IOException {
    try {
      return store.materialize(h);
    } catch (CorruptDataException | EOFException | NoSuchFileException e) {
      damaged.putIfAbsent(h, new Damage(l, e));
      return null;
    }
  }
}
