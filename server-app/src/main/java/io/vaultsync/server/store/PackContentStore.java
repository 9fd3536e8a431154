package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
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
 * <p>Commit protocol: objects are appended to a temporary {@code .vstmp-<id>.pack}; commit fsyncs
 * it, writes and fsyncs the temporary index, renames the pack and then the index (the index rename
 * is the commit point) and fsyncs the folder. On open, temporary files and packs without an index
 * (a crash between the two renames) are removed, so a crash never leaves visible partial content.
 * Objects staged but never referenced by the ledger (a crash between this commit and the ledger
 * commit) stay as unreferenced bytes: invisible, reclaimable by a future compaction.
 *
 * <p>{@link #repack} rewrites the committed packs into one, storing old versions as deltas against
 * newer ones ({@link Repack}); {@link #open(ContentHash)} then rebuilds such an object by patching
 * ({@link DeltaChains}), so callers never see the difference except in speed. A repack keeps every
 * object; {@link #collect} is a repack that leaves out the objects no root names (content GC).
 *
 * <p><b>Pins</b> (what makes GC safe beside commits): while a collection runs, every hash a batch
 * stages or deduplicates against (content the store already had) is pinned, and so is everything
 * the batches open when it began had touched; a batch stays open until its ledger rows are
 * committed (ServerVaults closes it after the append). The collection reads its roots after pinning
 * starts, so content a commit names later is either among the roots or pinned, and pinned content
 * is kept. Objects the collection is about to drop are <i>condemned</i> first: a batch never
 * deduplicates against a condemned object (it writes its own copy), so no commit can come to depend
 * on one.
 *
 * <p>The index of every pack is held in memory (about 100 bytes per object). Thread-safe.
 */
public final class PackContentStore implements ContentStore {
  private static final Logger log = LoggerFactory.getLogger(PackContentStore.class);
  static final String PACK = ".pack";
  static final String INDEX = ".idx";

  /** Where an object lives: {@code base} null for a whole object, else it is a delta. */
  record Location(
      FileChannel channel, long offset, long length, ContentHash base, long fullLength) {
    static Location of(FileChannel ch, PackIndexFormat.Entry e) {
      return new Location(ch, e.offset(), e.length(), e.base(), e.fullLength());
    }
  }

  /** A committed pack: its id (file name without extension) and open channel. */
  record Pack(String id, FileChannel channel) {}

  private final Path packs;
  private final Map<ContentHash, Location> index = new ConcurrentHashMap<>();
  private final List<Pack> channels = new ArrayList<>();

  /** Channels of packs a repack replaced, closed by the next repack or at close. */
  private final List<FileChannel> retired = new ArrayList<>();

  private final Object repackLock = new Object();
  private boolean closed;

  /**
   * Guards {@link #pins}, {@link #condemned}, {@link #openBatches} and each batch's touched set.
   */
  private final Object pinLock = new Object();

  /** Hashes staged or deduplicated since a collection began; null while none runs. */
  private Set<ContentHash> pins;

  /** Objects a running collection is dropping: never deduplicated against. */
  private Set<ContentHash> condemned = Set.of();

  /** Batches not closed yet (a committed batch stays open until its ledger rows are). */
  private final Set<Batch> openBatches = new HashSet<>();

  /**
   * Called by a collection at its steps ("rewritten": the kept objects are written, nothing is
   * condemned yet; "condemned": the objects to drop are condemned): tests race commits there.
   */
  volatile java.util.function.Consumer<String> gcHook = step -> {};

  private PackContentStore(Path packs) {
    this.packs = packs;
  }

  /**
   * Opens (creating if needed) the store under {@code root}, removes leftovers of interrupted
   * commits and loads every pack index.
   *
   * @throws io.vaultsync.core.format.FormatException if an index is corrupt (never ignored: that
   *     content would look deleted)
   */
  public static PackContentStore open(Path root) throws IOException {
    Path packs = Files.createDirectories(root.resolve("packs"));
    PackContentStore store = new PackContentStore(packs);
    try {
      store.load();
    } catch (IOException | RuntimeException e) {
      store.close();
      throw e;
    }
    return store;
  }

  private void load() throws IOException {
    List<Path> indexes = new ArrayList<>();
    List<Path> packFiles = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(packs)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
          log.info("removing {} left by an interrupted commit", name);
          Files.deleteIfExists(p);
        } else if (name.endsWith(INDEX)) {
          indexes.add(p);
        } else if (name.endsWith(PACK)) {
          packFiles.add(p);
        }
      }
    }
    for (Path pack : packFiles) {
      String id = pack.getFileName().toString();
      id = id.substring(0, id.length() - PACK.length());
      if (!Files.exists(packs.resolve(id + INDEX))) {
        log.info("removing pack {} whose commit did not finish", pack.getFileName());
        Files.deleteIfExists(pack);
      }
    }
    indexes.sort(null);
    for (Path idx : indexes) {
      String name = idx.getFileName().toString();
      Path pack = packs.resolve(name.substring(0, name.length() - INDEX.length()) + PACK);
      long idxSize = Files.size(idx);
      if (idxSize
          > PackIndexFormat.HEADER
              + 4
              + (long) PackIndexFormat.ENTRY_V2 * PackIndexFormat.MAX_ENTRIES) {
        throw new IOException("pack index " + idx + " of " + idxSize + " bytes is too large");
      }
      PackIndexFormat.Parsed parsed = PackIndexFormat.read(Files.readAllBytes(idx));
      FileChannel ch;
      try {
        ch = FileChannel.open(pack, StandardOpenOption.READ);
      } catch (NoSuchFileException e) {
        throw new IOException("pack index " + idx + " has no pack " + pack, e);
      }
      channels.add(new Pack(name.substring(0, name.length() - INDEX.length()), ch));
      if (ch.size() < parsed.packLength()) {
        throw new IOException(
            "pack " + pack + " has " + ch.size() + " bytes; its index says " + parsed.packLength());
      }
      for (PackIndexFormat.Entry e : parsed.entries()) {
        index.putIfAbsent(e.hash(), Location.of(ch, e));
      }
    }
  }

  @Override
  public boolean has(ContentHash hash) {
    return index.containsKey(hash);
  }

  @Override
  public Optional<Long> size(ContentHash hash) {
    Location l = index.get(hash);
    return l == null ? Optional.empty() : Optional.of(l.fullLength());
  }

  @Override
  public StoredObject open(ContentHash hash) throws IOException {
    Location l = index.get(hash);
    if (l == null) {
      throw new NoSuchFileException("content " + hash.hex() + " is not stored");
    }
    if (l.base() != null) {
      return new DeltaObject(hash, l.fullLength(), () -> DeltaChains.materialize(index::get, hash));
    }
    return new RegionObject(hash, l.channel(), l.offset(), l.length(), this::open);
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
  Location location(ContentHash hash) {
    return index.get(hash);
  }

  /** The packs committed now, oldest first. */
  synchronized List<Pack> packs() {
    return List.copyOf(channels);
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
   * reads go on meanwhile.
   */
  public RepackStats repack(DeltaPlan plan) throws IOException {
    synchronized (repackLock) {
      return new Repack(this, this.packs, plan).run();
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
      return new Repack(this, this.packs, plan).collect(roots);
    }
  }

  /** Starts pinning: everything open batches touched so far, and all they touch from now on. */
  void startPinning() {
    synchronized (pinLock) {
      pins = new HashSet<>();
      for (Batch b : openBatches) {
        pins.addAll(b.touched);
      }
    }
  }

  /** Ends pinning and forgets the condemned objects (the collection is over, or failed). */
  void stopPinning() {
    synchronized (pinLock) {
      pins = null;
      condemned = Set.of();
    }
  }

  /** The hashes pinned so far (a copy). */
  Set<ContentHash> pinned() {
    synchronized (pinLock) {
      return pins == null ? Set.of() : new HashSet<>(pins);
    }
  }

  /**
   * Condemns {@code drop} except what was pinned meanwhile (and the bases such objects need, which
   * {@code withBases} adds): from now on no batch deduplicates against a condemned object. Returns
   * the objects of {@code drop} that must be kept after all.
   */
  Set<ContentHash> condemn(
      Set<ContentHash> drop, java.util.function.UnaryOperator<Set<ContentHash>> withBases) {
    synchronized (pinLock) {
      Set<ContentHash> late = new HashSet<>();
      for (ContentHash h : pins) {
        if (drop.contains(h)) {
          late.add(h);
        }
      }
      late = withBases.apply(late);
      late.retainAll(drop);
      Set<ContentHash> doomed = new HashSet<>(drop);
      doomed.removeAll(late);
      condemned = doomed;
      return late;
    }
  }

  /**
   * Makes a committed repack visible: points every object of {@code replaced} at the new pack, then
   * deletes the replaced packs' files (indexes first, so a crash leaves at most packs without an
   * index, which {@link #open} removes). Their channels stay open for readers in flight until the
   * next switch.
   */
  synchronized void switchTo(
      String id, FileChannel ch, List<PackIndexFormat.Entry> entries, List<Pack> replaced)
      throws IOException {
    switchTo(id, ch, entries, replaced, Set.of());
  }

  /**
   * As {@link #switchTo(String, FileChannel, List, List)}, also forgetting {@code dropped} objects
   * that lived only in the replaced packs (a collection left them out of the new pack; an object a
   * batch stored again meanwhile stays, at its new place).
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
      index.put(e.hash(), Location.of(ch, e));
    }
    if (!dropped.isEmpty()) {
      Set<FileChannel> gone = new HashSet<>();
      replaced.forEach(p -> gone.add(p.channel()));
      for (ContentHash h : dropped) {
        index.computeIfPresent(h, (k, l) -> gone.contains(l.channel()) ? null : l);
      }
    }
    channels.removeAll(replaced);
    for (Pack p : replaced) {
      retired.add(p.channel());
      Files.deleteIfExists(packs.resolve(p.id() + INDEX));
    }
    AtomicFiles.fsyncDirectory(packs);
    for (Pack p : replaced) {
      Files.deleteIfExists(packs.resolve(p.id() + PACK));
    }
    AtomicFiles.fsyncDirectory(packs);
  }

  @Override
  public StagingBatch newBatch() {
    Batch b = new Batch();
    synchronized (pinLock) {
      openBatches.add(b);
    }
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

  private synchronized void publish(String id, FileChannel ch, List<PackIndexFormat.Entry> entries)
      throws IOException {
    if (closed) {
      ch.close();
      throw new IOException("content store " + packs + " is closed");
    }
    channels.add(new Pack(id, ch));
    synchronized (pinLock) {
      for (PackIndexFormat.Entry e : entries) {
        if (condemned.contains(e.hash())) {
          index.put(e.hash(), Location.of(ch, e)); // the old copy is being dropped
        } else {
          index.putIfAbsent(e.hash(), Location.of(ch, e));
        }
      }
    }
  }

  /** A new pack id: creation time first, so ids sort in the order packs were made. */
  static String newId() {
    return String.format(
        "p%013x-%016x", System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
  }

  Path packsFolder() {
    return packs;
  }

  /** One batch: a temporary pack file created on the first stage. */
  private final class Batch implements StagingBatch {
    private final String id = newId();
    private final Path tempPack = packs.resolve(AtomicFiles.TEMP_PREFIX + id + PACK);
    private final Path tempIndex = packs.resolve(AtomicFiles.TEMP_PREFIX + id + INDEX);
    private final List<PackIndexFormat.Entry> entries = new ArrayList<>();
    private final Map<ContentHash, PackIndexFormat.Entry> staged = new HashMap<>();

    /** Every hash this batch staged or deduplicated against (guarded by {@code pinLock}). */
    private final Set<ContentHash> touched = new HashSet<>();

    private FileChannel channel;
    private long length;
    private boolean done;

    @Override
    public Staged stage(ContentSource source) throws IOException {
      if (done) {
        throw new IllegalStateException("batch " + id + " is already committed or closed");
      }
      if (channel == null) {
        channel =
            FileChannel.open(
                tempPack,
                StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE,
                StandardOpenOption.READ);
      }
      long start = length;
      MessageDigest md = ContentHash.newDigest();
      long[] count = {0};
      try {
        channel.position(start);
        OutputStream raw = Channels.newOutputStream(channel);
        OutputStream out =
            new BufferedOutputStream(
                new OutputStream() {
                  @Override
                  public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                  }

                  @Override
                  public void write(byte[] b, int off, int len) throws IOException {
                    md.update(b, off, len);
                    raw.write(b, off, len);
                    count[0] += len;
                  }
                },
                64 * 1024);
        source.writeTo(out);
        out.flush();
      } catch (IOException | RuntimeException e) {
        channel.truncate(start);
        throw e;
      }
      ContentHash hash = ContentHash.finish(md);
      Staged result = new Staged(hash, count[0]);
      boolean stored;
      synchronized (pinLock) {
        touched.add(hash);
        if (pins != null) {
          pins.add(hash);
        }
        stored = (has(hash) && !condemned.contains(hash)) || staged.containsKey(hash);
      }
      if (stored) {
        channel.truncate(start); // already stored: keep one copy
      } else {
        PackIndexFormat.Entry entry = new PackIndexFormat.Entry(hash, start, count[0]);
        entries.add(entry);
        staged.put(hash, entry);
        length = start + count[0];
      }
      return result;
    }

    @Override
    public StoredObject open(ContentHash hash) throws IOException {
      PackIndexFormat.Entry e = staged.get(hash);
      if (e != null && channel != null) { // batches stage whole objects only
        return new RegionObject(hash, channel, e.offset(), e.length());
      }
      return PackContentStore.this.open(hash);
    }

    @Override
    public boolean isEmpty() {
      return entries.isEmpty();
    }

    @Override
    public void commit() throws IOException {
      if (done) {
        throw new IllegalStateException("batch " + id + " is already committed or closed");
      }
      if (entries.isEmpty()) {
        // Nothing new (all deduplicated): the batch stays open, so its hashes stay pinned for a
        // collection until the caller has recorded them and closes it.
        done = true;
        discard();
        return;
      }
      channel.force(true);
      try (FileChannel idx =
          FileChannel.open(tempIndex, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
        OutputStream out = new BufferedOutputStream(Channels.newOutputStream(idx), 64 * 1024);
        PackIndexFormat.write(entries, length, out);
        out.flush();
        idx.force(true);
      }
      Path pack = packs.resolve(id + PACK);
      Repack.move(tempPack, pack);
      Repack.move(tempIndex, packs.resolve(id + INDEX));
      AtomicFiles.fsyncDirectory(packs);
      done = true;
      FileChannel reader = channel;
      channel = null;
      publish(id, reader, entries);
    }

    @Override
    public void close() throws IOException {
      synchronized (pinLock) {
        openBatches.remove(this);
      }
      if (done) {
        return;
      }
      done = true;
      discard();
    }

    private void discard() throws IOException {
      if (channel != null) {
        channel.close();
        channel = null;
      }
      Files.deleteIfExists(tempIndex);
      Files.deleteIfExists(tempPack);
    }
  }
}
