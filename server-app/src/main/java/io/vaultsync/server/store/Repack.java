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
import java.nio.ByteBuffer;
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
 * <p>Crash safety: the new pack and its index are written under temporary names, fsynced, renamed
 * (the index rename is the commit point) and the folder fsynced; only then does the store point its
 * objects at the new pack and delete the old packs (indexes first). A crash before the commit point
 * leaves temporary files that opening the store removes; after it, old and new packs both hold
 * every object (valid duplicates) until a later repack. A plain repack drops no object; a
 * collection ({@link #collect}, content GC) leaves out the objects no root, kept delta or pin
 * needs.
 *
 * <p>Chains: a delta's base is the plan's newer version; a base's own chain counts, so no object is
 * more than {@link DeltaChains#MAX_DEPTH} deltas from a whole one (every ninth version of a long
 * history stays whole), and a plan with a cycle (a file that went back to an earlier content) is
 * cut where the cycle closes.
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

  RepackStats run() throws IOException {
    return rewrite(null).repack();
  }

  /**
   * Content GC: pins (see {@link PackContentStore}), reads the roots, then rewrites the packs
   * committed so far without the objects neither the roots, nor a kept delta, nor a pin need.
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
   * Rewrites the packs committed now into one; with {@code named} (null: keep everything) the
   * objects outside it (and outside the bases kept deltas need and the pins) are left out.
   */
  private GcStats rewrite(Set<ContentHash> named) throws IOException {
    List<PackContentStore.Pack> old = store.packs();
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
      long length = 0;
      for (ContentHash x : objects) {
        PackContentStore.Location l = store.location(x);
        ContentHash base = bases.get(x);
        PackIndexFormat.Entry entry = null;
        if (base != null && base.equals(l.base())) {
          length += copy(l, ch, length);
          entry =
              new PackIndexFormat.Entry(x, length - l.length(), l.length(), base, l.fullLength());
        } else if (base != null) {
          byte[] target = store.materialize(x);
          byte[] delta = delta(store.materialize(base), target);
          encoded++;
          if (delta.length < WORTH * target.length) {
            write(ch, length, delta);
            entry = new PackIndexFormat.Entry(x, length, delta.length, base, target.length);
            length += delta.length;
          } else {
            write(ch, length, target);
            entry = new PackIndexFormat.Entry(x, length, target.length);
            length += target.length;
          }
        } else if (l.base() == null) {
          length += copy(l, ch, length);
          entry = new PackIndexFormat.Entry(x, length - l.length(), l.length());
        } else {
          byte[] target = store.materialize(x);
          write(ch, length, target);
          entry = new PackIndexFormat.Entry(x, length, target.length);
          length += target.length;
        }
        if (entry.isDelta()) {
          deltas++;
        }
        entries.add(entry);
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
          length += copy(l, ch, length);
          entries.add(
              l.base() == null
                  ? new PackIndexFormat.Entry(x, length - l.length(), l.length())
                  : new PackIndexFormat.Entry(
                      x, length - l.length(), l.length(), l.base(), l.fullLength()));
          if (l.base() != null) {
            deltas++;
          }
        }
        drop.removeAll(late);
        pinned = late.size();
        for (ContentHash x : drop) {
          droppedBytes += store.location(x).fullLength();
        }
      }
      ch.force(true);
      try (FileChannel idx =
          FileChannel.open(tempIndex, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(idx), 64 * 1024);
        PackIndexFormat.write(entries, length, out);
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

  private static long copy(PackContentStore.Location l, FileChannel to, long at)
      throws IOException {
    long done = 0;
    while (done < l.length()) {
      long n = l.channel().transferTo(l.offset() + done, l.length() - done, to.position(at + done));
      if (n <= 0) {
        throw new java.io.EOFException(
            "pack ended at " + (l.offset() + done) + " while copying " + l.length() + " bytes");
      }
      done += n;
    }
    return l.length();
  }

  private static void write(FileChannel ch, long at, byte[] data) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(data);
    long p = at;
    while (buf.hasRemaining()) {
      p += ch.write(buf, p);
    }
  }

  static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(from, to);
    }
  }
}
