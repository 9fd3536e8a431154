package io.vaultsync.server.store;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
 * <p>Crash safety: the new pack (framed, {@link PackFormat} version 2) and its index are written
 * under temporary names, fsynced, renamed (the index rename is the commit point) and the folder
 * fsynced; only then does the store point its objects at the new pack and remove the old packs
 * (each index first renamed to a marker that proves the pack was replaced, see {@link
 * PackContentStore#switchTo}). A crash before the commit point leaves temporary files that opening
 * the store removes; after it, old and new packs both hold every object (valid duplicates), or old
 * packs with their marker, which opening the store removes. A plain repack drops no object; a
 * collection ({@link #collect}, content GC) leaves out the objects no root, kept delta or pin
 * needs.
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
 *
 * <p>Over 400 lines: one pass over the store that reads every pack, chooses delta bases, writes the
 * new pack and index and retires the old ones crash-safely (the .replaced markers).
 */
final class Repack {
  /** A delta is kept only if it is smaller than this fraction of the object. */
  static final double WORTH = 0.5;

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
    store.startPinning();
    try {
      return rewrite(roots.named());
    } finally {
      store.stopPinning();
    }
  }

  /** Everything in {@code start} and the bases their stored deltas need, transitively. */
  private Set<ContentHash> withBases(Set<ContentHash> start) {
    Set<ContentHash> all = new HashSet<>(start);
    java.util.ArrayDeque<ContentHash> work = new java.util.ArrayDeque<>(start);
    while (!work.isEmpty()) {
      PackContentStore.Location l = store.location(work.pop());
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
    List<PackContentStore.Pack> old = new ArrayList<>();
    for (PackContentStore.Pack p : store.packs()) {
      if (!damagedPacks.contains(p.id())) {
        old.add(p);
      }
    }
    if (old.isEmpty()) {
      return new GcStats(0, 0, 0, new RepackStats(0, 0, 0, 0, 0, 0));
    }
    Set<FileChannel> oldChannels = new HashSet<>();
    long bytesBefore = 0;
    for (PackContentStore.Pack p : old) {
      oldChannels.add(p.channel());
      bytesBefore += p.channel().size();
    }
    List<ContentHash> objects = new ArrayList<>();
    for (ContentHash h : store.hashes()) {
      PackContentStore.Location l = store.location(h);
      if (l != null && oldChannels.contains(l.channel())) {
        objects.add(h);
      }
    }
    Set<ContentHash> drop = new HashSet<>();
    if (named != null) {
      Set<ContentHash> keep = new HashSet<>(named);
      keep.addAll(store.pinned());
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

    String id = PackContentStore.newId();
    Path tempPack = folder.resolve(AtomicFiles.TEMP_PREFIX + id + PackContentStore.PACK);
    Path tempIndex = folder.resolve(AtomicFiles.TEMP_PREFIX + id + PackContentStore.INDEX);
    List<PackIndexFormat.Entry> entries = new ArrayList<>(objects.size());
    Map<ContentHash, Object[]> damaged = new HashMap<>(); // hash -> {location, cause}
    long deltas = 0;
    long encoded = 0;
    FileChannel ch =
        FileChannel.open(
            tempPack,
            StandardOpenOption.CREATE_NEW,
            StandardOpenOption.WRITE,
            StandardOpenOption.READ);
    boolean committed = false;
    try {
      write(ch, 0, PackFormat.header());
      long length = PackFormat.HEADER;
      for (ContentHash x : objects) {
        PackContentStore.Location l = store.location(x);
        if (l == null) {
          continue; // found damaged meanwhile: no longer served, stays in its pack
        }
        ContentHash base = bases.get(x);
        PackIndexFormat.Entry entry;
        if (base != null && base.equals(l.base())) {
          entry = new PackIndexFormat.Entry(x, 0, l.length(), base, l.fullLength());
          length = copy(l, entry, ch, length, null);
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
            entry = new PackIndexFormat.Entry(x, 0, delta.length, base, target.length);
            length = append(ch, length, entry, delta);
          } else {
            entry = new PackIndexFormat.Entry(x, 0, target.length);
            length = append(ch, length, entry, target);
          }
        } else {
          entry = new PackIndexFormat.Entry(x, 0, l.length());
          length = copy(l, entry, ch, length, damaged);
          if (!damaged.isEmpty()) {
            break;
          }
        }
        entry = placed(entry, length);
        if (entry.isDelta()) {
          deltas++;
        }
        entries.add(entry);
      }
      if (!damaged.isEmpty()) {
        for (Map.Entry<ContentHash, Object[]> d : damaged.entrySet()) {
          store.damaged(
              d.getKey(), (PackContentStore.Location) d.getValue()[0], (Exception) d.getValue()[1]);
        }
        return null; // before the commit point: the temporary files go, nothing changed
      }
      long pinned = 0;
      long droppedBytes = 0;
      if (!drop.isEmpty()) {
        // Commits went on meanwhile: what they staged or deduplicated since the roots were read is
        // kept after all (as it is stored), and the rest is condemned before it goes.
        store.gcHook.accept("rewritten");
        List<ContentHash> late = new ArrayList<>(store.condemn(drop, this::withBases));
        store.gcHook.accept("condemned");
        late.sort(null);
        for (ContentHash x : late) {
          PackContentStore.Location l = store.location(x);
          if (l == null) {
            continue; // found damaged meanwhile: stays in its pack
          }
          PackIndexFormat.Entry entry =
              new PackIndexFormat.Entry(x, 0, l.length(), l.base(), l.fullLength());
          length = copy(l, entry, ch, length, null);
          entries.add(placed(entry, length));
          if (l.base() != null) {
            deltas++;
          }
        }
        drop.removeAll(late);
        pinned = late.size();
        for (ContentHash x : drop) {
          PackContentStore.Location l = store.location(x);
          droppedBytes += l == null ? 0 : l.fullLength();
        }
      }
      ch.force(true);
      try (FileChannel idx =
          FileChannel.open(tempIndex, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(idx), 64 * 1024);
        PackIndexFormat.write(entries, length, true, out);
        out.flush();
        idx.force(true);
      }
      move(tempPack, folder.resolve(id + PackContentStore.PACK));
      move(tempIndex, folder.resolve(id + PackContentStore.INDEX));
      AtomicFiles.fsyncDirectory(folder);
      committed = true;
      store.switchTo(id, ch, entries, old, drop);
      return new GcStats(
          drop.size(),
          droppedBytes,
          pinned,
          new RepackStats(old.size(), bytesBefore, length, entries.size(), deltas, encoded));
    } finally {
      if (!committed) {
        ch.close();
        Files.deleteIfExists(tempIndex);
        Files.deleteIfExists(tempPack);
      }
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
      PackContentStore.Location lx = store.location(x);
      PackContentStore.Location lb = store.location(b);
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
    PackContentStore.Location l = store.location(h);
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
  private byte[] materialized(
      ContentHash h, PackContentStore.Location l, Map<ContentHash, Object[]> damaged)
      throws IOException {
    try {
      return store.materialize(h);
    } catch (io.vaultsync.core.format.CorruptDataException
        | java.io.EOFException
        | java.nio.file.NoSuchFileException e) {
      damaged.putIfAbsent(h, new Object[] {l, e});
      return null;
    }
  }

  /** {@code e} with the offset of stored bytes that end at {@code end}. */
  private static PackIndexFormat.Entry placed(PackIndexFormat.Entry e, long end) {
    return new PackIndexFormat.Entry(
        e.hash(), end - e.length(), e.length(), e.base(), e.fullLength());
  }

  /** Writes {@code e}'s record header and {@code stored} at {@code at}; returns the new end. */
  private static long append(FileChannel ch, long at, PackIndexFormat.Entry e, byte[] stored)
      throws IOException {
    byte[] header = PackFormat.record(e);
    write(ch, at, header);
    write(ch, at + header.length, stored);
    return at + header.length + stored.length;
  }

  /**
   * Writes {@code e}'s record header at {@code at}, then copies the object's stored bytes from
   * {@code l} after it; returns the new end. With {@code damaged} (a whole object), hashes them on
   * the way and notes a mismatch there (the bytes are copied all the same).
   */
  private static long copy(
      PackContentStore.Location l,
      PackIndexFormat.Entry e,
      FileChannel to,
      long at,
      Map<ContentHash, Object[]> damaged)
      throws IOException {
    byte[] header = PackFormat.record(e);
    write(to, at, header);
    long start = at + header.length;
    java.security.MessageDigest md = damaged == null ? null : ContentHash.newDigest();
    byte[] buf = new byte[64 * 1024];
    long done = 0;
    while (done < l.length()) {
      int want = (int) Math.min(buf.length, l.length() - done);
      int n = PackScanner.readAt(l.channel(), l.offset() + done, buf, want);
      if (n < want) {
        throw new java.io.EOFException(
            "pack ended at " + (l.offset() + done + n) + " while copying " + l.length() + " bytes");
      }
      if (md != null) {
        md.update(buf, 0, n);
      }
      write(to, start + done, java.util.Arrays.copyOf(buf, n));
      done += n;
    }
    if (md != null && !ContentHash.finish(md).equals(e.hash())) {
      damaged.putIfAbsent(
          e.hash(),
          new Object[] {
            l,
            new io.vaultsync.core.format.CorruptDataException("its stored bytes hash differently")
          });
    }
    return start + l.length();
  }

  private static void write(FileChannel ch, long at, byte[] data) throws IOException {
    PackContentStore.writeAt(ch, at, data);
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
