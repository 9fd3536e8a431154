package io.vaultsync.server.store;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local-disk {@link ContentStore}: content in append-once pack files, one per committed batch,
 * under {@code <root>/packs/<id>.pack}, each with an index {@code <id>.idx} ({@link
 * PackIndexFormat}).
 *
 * <p>Why packs rather than one file per object: on this machine (ext4) writing 2,000 small objects
 * as separate files costs ~1 ms each with an fsync per file and still ~0.5 ms each when all files
 * are written first and fsynced afterwards, while one pack of the same 2,000 objects with one fsync
 * takes ~15 ms (numbers in server-app/README.md). A first upload of 10,000 notes is then bounded by
 * hashing and SQLite, not by fsync.
 *
 * <p>Packs are framed ({@link PackFormat} version 2): each object follows a record header that
 * repeats its index entry, so a lost or corrupt index can be rebuilt from the pack. Packs written
 * before (version 1, a plain concatenation) are read as they are.
 *
 * <p>The parts: a batch ({@link PackBatch}) writes one new pack through a {@link PackWriter}, whose
 * commit is durable before it returns (the index rename is the commit point); opening the store
 * ({@link PackLoader}) removes what an interrupted commit left and serves everything else,
 * reporting what it cannot serve ({@link #problems}). Objects staged but never referenced by the
 * ledger (a crash between this commit and the ledger commit) stay as unreferenced bytes: invisible,
 * reclaimed by the next content GC ({@link #collect}).
 *
 * <p>{@link #open(ContentHash)} verifies what it returns: an object's bytes must hash to its
 * address before the first byte is handed out (small objects are read into memory once, large ones
 * are hashed once per run before they are first served). A damaged copy is never served: the store
 * drops it from its index, reports it ({@link StoreEvents#damaged}) and throws {@link
 * DamagedContentException}, so the object reads as missing until someone stores it again.
 *
 * <p>{@link #repack} rewrites the committed packs into one, storing old versions as deltas against
 * newer ones ({@link Repack}); {@link #open(ContentHash)} then rebuilds such an object by patching
 * ({@link DeltaChains}), so callers never see the difference except in speed. A repack keeps every
 * object; {@link #collect} is a repack that leaves out the objects no root names (content GC), made
 * safe beside commits by the store's {@link PackPins}.
 *
 * <p>This class holds what they share: the index of every pack, in memory (about 100 bytes per
 * object; when a hash is in several packs the newest pack's copy is used), the open packs, the
 * verified reads and the stored and damaged events. Thread-safe.
 *
 * <p>Just over 400 lines, most of it this comment and the verified read: the index, the open packs
 * and the damage bookkeeping change together under one lock, so they stay in one class.
 */
public final class PackContentStore implements ContentStore {
  private static final Logger log = LoggerFactory.getLogger(PackContentStore.class);

  /** Objects up to this size are verified by reading them into memory once per open. */
  static final long VERIFY_IN_MEMORY = 1 << 20;

  private final Path packs;
  private final Map<ContentHash, ObjectLocation> index = new ConcurrentHashMap<>();
  private final List<Pack> channels = new ArrayList<>();

  /** Channels of packs a repack replaced, closed by the next repack or at close. */
  private final List<FileChannel> retired = new ArrayList<>();

  /** What was found wrong, at open and since. */
  private final List<StoreProblem> problems = new CopyOnWriteArrayList<>();

  /** Large objects hashed once in this run, so later reads need not hash them again. */
  private final Set<ContentHash> verifiedLarge = ConcurrentHashMap.newKeySet();

  /** Packs holding a damaged object: a repack leaves them in place (nothing there is deleted). */
  private final Set<String> damagedPacks = ConcurrentHashMap.newKeySet();

  private final PackPins pins = new PackPins();

  private volatile StoreEvents events = StoreEvents.NONE;

  private final Object repackLock = new Object();
  private boolean closed;

  /**
   * Called by a collection at its steps ("rewritten": the kept objects are written, nothing is
   * condemned yet; "condemned": the objects to drop are condemned): tests race commits there.
   */
  volatile Consumer<String> gcHook = step -> {};

  private PackContentStore(Path packs) {
    this.packs = packs;
  }

  /**
   * Opens (creating if needed) the store under {@code root}, removes leftovers of interrupted
   * commits and loads every pack index ({@link PackLoader}). A damaged or missing file does not
   * stop it: the store serves what it can and lists the rest in {@link #problems}.
   *
   * @throws IOException if the store's folder cannot be read
   */
  public static PackContentStore open(Path root) throws IOException {
    Path packs = Files.createDirectories(root.resolve("packs"));
    PackContentStore store = new PackContentStore(packs);
    try {
      new PackLoader(packs, store.index, store.channels, store.problems).load();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  /** Where the store tells what it finds damaged and what it stores. */
  @Override
  public void listen(StoreEvents events) {
    this.events = Objects.requireNonNull(events, "events");
  }

  /** What is wrong with the store's files: found when it opened, and damage found since. */
  public List<StoreProblem> problems() {
    return List.copyOf(problems);
  }

  @Override
  public boolean has(ContentHash hash) {
    return index.containsKey(hash);
  }

  @Override
  public Optional<Long> size(ContentHash hash) {
    ObjectLocation l = index.get(hash);
    return l == null ? Optional.empty() : Optional.of(l.fullLength());
  }

  /**
   * {@inheritDoc} The content is verified before this returns: its bytes hash to {@code hash}.
   *
   * @throws DamagedContentException if they do not (the store then stops serving that copy)
   */
  @Override
  public StoredObject open(ContentHash hash) throws IOException {
    ObjectLocation l = index.get(hash);
    if (l == null) {
      throw new MissingContentException(hash, "content " + hash.hex() + " is not stored");
    }
    try {
      if (l.base() != null) {
        byte[] bytes = DeltaChains.materialize(index::get, hash);
        return new DeltaObject(hash, bytes.length, () -> bytes);
      }
      RegionObject region = new RegionObject(hash, l.channel(), l.offset(), l.length(), this::open);
      if (l.length() <= VERIFY_IN_MEMORY) {
        byte[] bytes;
        try (InputStream in = region.stream()) {
          bytes = in.readNBytes((int) l.length());
        }
        if (bytes.length != l.length() || !ContentHash.digestOf(bytes).equals(hash)) {
          throw new CorruptDataException("its stored bytes hash differently");
        }
        return new DeltaObject(hash, bytes.length, () -> bytes);
      }
      if (!verifiedLarge.contains(hash)) {
        MessageDigest md = ContentHash.newDigest();
        try (InputStream in = region.stream()) {
          byte[] buf = new byte[64 * 1024];
          for (int n; (n = in.read(buf)) > 0; ) {
            md.update(buf, 0, n);
          }
        }
        if (!ContentHash.finish(md).equals(hash)) {
          throw new CorruptDataException("its stored bytes hash differently");
        }
        verifiedLarge.add(hash);
      }
      return region;
    } catch (CorruptDataException | EOFException e) {
      throw damaged(hash, l, e);
    } catch (NoSuchFileException e) {
      if (l.base() != null && index.get(hash) == l) {
        throw damaged(hash, l, e); // its delta base is gone: it cannot be rebuilt
      }
      throw e;
    }
  }

  /**
   * Stops serving the copy of {@code hash} at {@code l}, which is damaged, reports it once and
   * returns the exception to throw.
   */
  DamagedContentException damaged(ContentHash hash, ObjectLocation l, Exception cause) {
    if (l == null) {
      return new DamagedContentException(
          hash, "content " + hash.hex() + " is damaged in the server's store", cause);
    }
    String where = "pack " + packs.resolve(l.pack() + PackFiles.PACK) + " at offset " + l.offset();
    String why = cause.getMessage();
    if (index.remove(hash, l)) {
      verifiedLarge.remove(hash);
      damagedPacks.add(l.pack());
      StoreProblem p =
          new StoreProblem(
              StoreProblem.Kind.OBJECT_DAMAGED,
              packs.resolve(l.pack() + PackFiles.PACK),
              "content " + hash.hex() + " at offset " + l.offset() + ": " + why);
      problems.add(p);
      log.error("{}; no longer serving it", p.describe());
      events.damaged(hash, l.fullLength(), where, why);
    }
    return new DamagedContentException(
        hash, "content " + hash.hex() + " is damaged in the server's store (" + why + ")", cause);
  }

  /** Every stored hash (a weakly consistent view). */
  Iterable<ContentHash> hashes() {
    return index.keySet();
  }

  /** The verified full content of a stored object of at most {@link DeltaChains#MAX_OBJECT}. */
  byte[] materialize(ContentHash hash) throws IOException {
    return DeltaChains.materialize(index::get, hash);
  }

  /** Where {@code hash} is stored now, or null. */
  ObjectLocation location(ContentHash hash) {
    return index.get(hash);
  }

  /** The packs committed now, oldest first. */
  synchronized List<Pack> packs() {
    return List.copyOf(channels);
  }

  /** Ids of packs holding an object found damaged in this run. */
  Set<String> damagedPacks() {
    return Set.copyOf(damagedPacks);
  }

  /** Bytes of all committed pack files (what the store occupies, indexes aside). */
  public synchronized long packBytes() throws IOException {
    long total = 0;
    for (Pack p : channels) {
      total += p.channel().size();
    }
    return total;
  }

  /**
   * Rewrites every pack committed so far into one, storing old versions as deltas where {@code
   * plan} says and it pays ({@link Repack}); never drops an object. Runs one at a time; commits and
   * reads go on meanwhile. Packs holding a damaged object are left as they are.
   */
  public RepackStats repack(DeltaPlan plan) throws IOException {
    synchronized (repackLock) {
      while (true) {
        RepackStats stats = new Repack(this, this.packs, plan).run();
        if (stats != null) {
          return stats;
        }
        // An object was found damaged: it is reported, its pack is left out of the next run.
      }
    }
  }

  /**
   * Content GC: a {@link #repack} that leaves out every object of the packs committed so far that
   * {@code roots} do not name, directly or as the base of a kept delta, and that no batch pinned
   * (see the class comment). Objects committed after it starts are not looked at (they are newer
   * than the mark). Crash-safe like a repack: a crash leaves the old packs, or old and new.
   */
  public GcStats collect(ContentRoots roots, DeltaPlan plan) throws IOException {
    Objects.requireNonNull(roots, "roots");
    synchronized (repackLock) {
      while (true) {
        GcStats stats = new Repack(this, this.packs, plan).collect(roots);
        if (stats != null) {
          return stats;
        }
        // An object was found damaged: it is reported, its pack is left out of the next run.
      }
    }
  }

  /** The pins that make a collection safe beside commits. */
  PackPins pins() {
    return pins;
  }

  /**
   * Makes a committed repack visible: points every object of {@code replaced} at the new pack and
   * forgets the {@code dropped} objects that lived only in the replaced packs (a collection left
   * them out of the new pack; an object a batch stored again meanwhile stays, at its new place).
   * Then removes the replaced packs' files: each index is first renamed to {@code <id>.replaced}, a
   * marker that proves a committed repack replaced the pack (so a crash leaves packs that {@link
   * #open} removes by their marker, never one it must keep and report), then the packs, then the
   * markers. Their channels stay open for readers in flight until the next switch.
   */
  synchronized void switchTo(
      String id,
      FileChannel ch,
      List<PackIndexFormat.Entry> entries,
      List<Pack> replaced,
      Set<ContentHash> dropped)
      throws IOException {
    if (closed) {
      ch.close();
      throw new IOException("content store " + packs + " is closed");
    }
    for (FileChannel old : retired) {
      old.close();
    }
    retired.clear();
    channels.add(new Pack(id, ch));
    for (PackIndexFormat.Entry e : entries) {
      index.put(e.hash(), ObjectLocation.of(ch, e, id));
    }
    if (!dropped.isEmpty()) {
      Set<FileChannel> gone = new HashSet<>();
      replaced.forEach(p -> gone.add(p.channel()));
      for (ContentHash h : dropped) {
        index.computeIfPresent(h, (k, l) -> gone.contains(l.channel()) ? null : l);
      }
    }
    channels.removeAll(replaced);
    // Each replaced index becomes a marker first: a crash from here on leaves packs whose marker
    // proves that a committed repack replaced them, which opening the store then finishes removing.
    for (Pack p : replaced) {
      retired.add(p.channel());
      PackFiles.move(
          packs.resolve(p.id() + PackFiles.INDEX), packs.resolve(p.id() + PackFiles.REPLACED));
    }
    AtomicFiles.fsyncDirectory(packs);
    for (Pack p : replaced) {
      Files.deleteIfExists(packs.resolve(p.id() + PackFiles.PACK));
    }
    AtomicFiles.fsyncDirectory(packs);
    for (Pack p : replaced) {
      Files.deleteIfExists(packs.resolve(p.id() + PackFiles.REPLACED));
    }
    AtomicFiles.fsyncDirectory(packs);
    events.stored(entries.stream().map(PackIndexFormat.Entry::hash).toList());
  }

  @Override
  public StagingBatch newBatch() {
    PackBatch b = new PackBatch(this, pins, packs);
    pins.opened(b);
    return b;
  }

  /** Number of pack files (for tests and logs). */
  public synchronized int packCount() {
    return channels.size();
  }

  @Override
  public synchronized void close() throws IOException {
    if (closed) {
      return;
    }
    closed = true;
    IOException first = null;
    List<FileChannel> all = new ArrayList<>(retired);
    channels.forEach(p -> all.add(p.channel()));
    for (FileChannel ch : all) {
      try {
        ch.close();
      } catch (IOException e) {
        first = first == null ? e : first;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  /** Makes the pack a batch committed visible and tells who listens. */
  void publish(String id, FileChannel ch, List<PackIndexFormat.Entry> entries) throws IOException {
    synchronized (this) {
      if (closed) {
        ch.close();
        throw new IOException("content store " + packs + " is closed");
      }
      channels.add(new Pack(id, ch));
      pins.withCondemned(
          condemned -> {
            for (PackIndexFormat.Entry e : entries) {
              if (condemned.contains(e.hash())) {
                index.put(e.hash(), ObjectLocation.of(ch, e, id)); // the old copy is being dropped
              } else {
                index.putIfAbsent(e.hash(), ObjectLocation.of(ch, e, id));
              }
            }
          });
    }
    events.stored(entries.stream().map(PackIndexFormat.Entry::hash).toList());
  }

  Path packsFolder() {
    return packs;
  }
}
