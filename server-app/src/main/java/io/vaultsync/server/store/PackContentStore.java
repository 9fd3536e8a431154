package io.vaultsync.server.store;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
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
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
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
 * <p>Packs are framed ({@link PackFormat} version 2): each object follows a record header that
 * repeats its index entry, so a lost or corrupt index can be rebuilt from the pack. Packs written
 * before (version 1, a plain concatenation) are read as they are.
 *
 * <p>Commit protocol: objects are appended to a temporary {@code .vstmp-<id>.pack}; commit fsyncs
 * it, writes and fsyncs the temporary index {@code .vstmp-<id>.idx}, renames the pack and then the
 * index (the index rename is the commit point) and fsyncs the folder. On open, temporary packs are
 * removed, and a pack is removed only when its temporary index is still there (a crash between the
 * two renames: that commit never happened, and the ledger, committed after the store, cannot name
 * its objects). Nothing else is ever deleted on open: a pack without an index is kept (served from
 * its record headers when it is framed) and reported, an index whose pack is gone is reported
 * unless every object it names is stored in another pack (a repack's leftover), and a corrupt index
 * is reported; the store serves everything else ({@link #problems}). Objects staged but never
 * referenced by the ledger (a crash between this commit and the ledger commit) stay as unreferenced
 * bytes: invisible, reclaimable by a future compaction.
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
 * <p>The index of every pack is held in memory (about 100 bytes per object). When a hash is in
 * several packs the newest pack's copy is used. Thread-safe.
 *
 * <p>Over 400 lines: opening (with the recovery of what a crash or a lost file left), the in-memory
 * index, staging, verified reads and the stored and damaged events share one lock and one index;
 * byte formats, the scanner, repack, check and repair are classes of their own.
 */
public final class PackContentStore implements ContentStore {
  private static final Logger log = LoggerFactory.getLogger(PackContentStore.class);
  static final String PACK = ".pack";
  static final String INDEX = ".idx";

  /** What a replaced pack's index is renamed to once the repack replacing it has committed. */
  static final String REPLACED = ".replaced";

  /** Objects up to this size are verified by reading them into memory once per open. */
  static final long VERIFY_IN_MEMORY = 1 << 20;

  /** Where an object lives: {@code base} null for a whole object, else it is a delta. */
  record Location(
      FileChannel channel,
      long offset,
      long length,
      ContentHash base,
      long fullLength,
      String pack) {
    static Location of(FileChannel ch, PackIndexFormat.Entry e, String pack) {
      return new Location(ch, e.offset(), e.length(), e.base(), e.fullLength(), pack);
    }
  }

  /** A committed pack: its id (file name without extension) and open channel. */
  record Pack(String id, FileChannel channel) {}

  private final Path packs;
  private final Map<ContentHash, Location> index = new ConcurrentHashMap<>();
  private final List<Pack> channels = new ArrayList<>();

  /** Channels of packs a repack replaced, closed by the next repack or at close. */
  private final List<FileChannel> retired = new ArrayList<>();

  /** What was found wrong, at open and since. */
  private final List<StoreProblem> problems = new CopyOnWriteArrayList<>();

  /** Large objects hashed once in this run, so later reads need not hash them again. */
  private final Set<ContentHash> verifiedLarge = ConcurrentHashMap.newKeySet();

  /** Packs holding a damaged object: a repack leaves them in place (nothing there is deleted). */
  private final Set<String> damagedPacks = ConcurrentHashMap.newKeySet();

  private volatile StoreEvents events = StoreEvents.NONE;

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
   * commits and loads every pack index. A damaged or missing file does not stop it: the store
   * serves what it can and lists the rest in {@link #problems}.
   *
   * @throws IOException if the store's folder cannot be read
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

  /** Where the store tells what it finds damaged and what it stores. */
  public void listen(StoreEvents events) {
    this.events = java.util.Objects.requireNonNull(events, "events");
  }

  /** What is wrong with the store's files: found when it opened, and damage found since. */
  public List<StoreProblem> problems() {
    return List.copyOf(problems);
  }

  private void load() throws IOException {
    Map<String, Path> indexFiles = new TreeMap<>();
    Map<String, Path> packFiles = new TreeMap<>();
    List<Path> tempIndexes = new ArrayList<>();
    List<Path> replacedMarkers = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(packs)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.startsWith(AtomicFiles.TEMP_PREFIX) && name.endsWith(INDEX)) {
          tempIndexes.add(p);
        } else if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
          log.info("removing {} left by an interrupted commit", name);
          Files.deleteIfExists(p);
        } else if (name.endsWith(INDEX)) {
          indexFiles.put(strip(name, INDEX), p);
        } else if (name.endsWith(PACK)) {
          packFiles.put(strip(name, PACK), p);
        } else if (name.endsWith(REPLACED)) {
          replacedMarkers.add(p);
        }
      }
    }
    for (Path marker : replacedMarkers) {
      // A committed repack replaced this pack; a crash stopped the switch before it was removed.
      String id = strip(marker.getFileName().toString(), REPLACED);
      Path pack = packFiles.remove(id);
      if (pack != null) {
        log.info("removing pack {}{}, replaced by a repack", id, PACK);
        Files.deleteIfExists(pack);
      }
      Files.deleteIfExists(marker);
    }
    for (Path temp : tempIndexes) {
      String id =
          strip(temp.getFileName().toString().substring(AtomicFiles.TEMP_PREFIX.length()), INDEX);
      if (packFiles.containsKey(id) && !indexFiles.containsKey(id)) {
        // Renamed pack, index still temporary: the commit point was never reached.
        log.info("removing pack {}{} whose commit did not finish", id, PACK);
        Files.deleteIfExists(packFiles.remove(id));
      }
      Files.deleteIfExists(temp);
    }
    Map<String, PackIndexFormat.Parsed> parsed = new TreeMap<>();
    Map<String, String> unreadable = new TreeMap<>();
    for (Map.Entry<String, Path> e : indexFiles.entrySet()) {
      try {
        parsed.put(e.getKey(), readIndex(e.getValue()));
      } catch (FormatException ex) {
        unreadable.put(e.getKey(), ex.getMessage());
      }
    }
    // Newest first: where a hash is in several packs, the newest copy (a repack's, or content a
    // client gave back after an older copy was found damaged) is the one served.
    List<String> newestFirst = new ArrayList<>(parsed.keySet());
    java.util.Collections.reverse(newestFirst);
    List<String> orphans = new ArrayList<>();
    for (String id : newestFirst) {
      if (packFiles.containsKey(id)) {
        loadIndexed(id, packFiles.get(id), parsed.get(id));
      } else {
        orphans.add(id);
      }
    }
    for (String id : orphans) {
      List<ContentHash> lost = new ArrayList<>();
      for (PackIndexFormat.Entry e : parsed.get(id).entries()) {
        if (!index.containsKey(e.hash())) {
          lost.add(e.hash());
        }
      }
      if (lost.isEmpty()) {
        log.info(
            "removing index {}{}: every object it names is in another pack (a repack's)",
            id,
            INDEX);
        Files.deleteIfExists(indexFiles.get(id));
      } else {
        problems.add(
            new StoreProblem(
                StoreProblem.Kind.PACK_MISSING,
                packs.resolve(id + PACK),
                lost.size()
                    + " of its "
                    + parsed.get(id).entries().size()
                    + " objects are stored nowhere else, e.g. "
                    + lost.get(0).hex()));
      }
    }
    List<String> unindexed = new ArrayList<>();
    for (String id : packFiles.keySet()) {
      if (!parsed.containsKey(id)) {
        unindexed.add(id);
      }
    }
    java.util.Collections.reverse(unindexed);
    for (String id : unindexed) {
      loadFromRecords(id, packFiles.get(id), unreadable.get(id));
    }
    for (Map.Entry<String, String> e : unreadable.entrySet()) {
      if (!packFiles.containsKey(e.getKey())) {
        problems.add(
            new StoreProblem(
                StoreProblem.Kind.INDEX_CORRUPT,
                indexFiles.get(e.getKey()),
                e.getValue() + "; and its pack is missing"));
      }
    }
  }

  private static String strip(String name, String extension) {
    return name.substring(0, name.length() - extension.length());
  }

  /** Reads and parses an index file, its size bounded first. */
  static PackIndexFormat.Parsed readIndex(Path idx) throws IOException {
    long idxSize = Files.size(idx);
    if (idxSize
        > PackIndexFormat.HEADER
            + 4
            + (long) PackIndexFormat.ENTRY_V2 * PackIndexFormat.MAX_ENTRIES) {
      throw new CorruptDataException("pack index of " + idxSize + " bytes is too large");
    }
    return PackIndexFormat.read(Files.readAllBytes(idx));
  }

  /** Serves a pack through its index. */
  private void loadIndexed(String id, Path pack, PackIndexFormat.Parsed parsed) throws IOException {
    FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ);
    channels.add(new Pack(id, ch));
    long size = ch.size();
    int past = 0;
    for (PackIndexFormat.Entry e : parsed.entries()) {
      if (e.offset() + e.length() > size) {
        past++;
      } else {
        index.putIfAbsent(e.hash(), Location.of(ch, e, id));
      }
    }
    if (size < parsed.packLength()) {
      problems.add(
          new StoreProblem(
              StoreProblem.Kind.PACK_SHORT,
              pack,
              "it has "
                  + size
                  + " bytes, its index says "
                  + parsed.packLength()
                  + "; "
                  + past
                  + " of its "
                  + parsed.entries().size()
                  + " objects are cut off"));
    }
  }

  /**
   * A pack without a usable index ({@code unreadable}: why its index could not be read; null: it
   * has none): a framed one is served from its record headers, an unframed one is kept unserved.
   */
  private void loadFromRecords(String id, Path pack, String unreadable) throws IOException {
    StoreProblem.Kind kind =
        unreadable == null ? StoreProblem.Kind.INDEX_MISSING : StoreProblem.Kind.INDEX_CORRUPT;
    Path file = unreadable == null ? pack : packs.resolve(id + INDEX);
    String why = unreadable == null ? "" : unreadable + "; ";
    FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ);
    boolean served = false;
    try {
      if (PackScanner.isFramed(ch)) {
        PackScanner.Scan scan = PackScanner.scan(ch);
        for (PackIndexFormat.Entry e : scan.entries()) {
          index.putIfAbsent(e.hash(), Location.of(ch, e, id));
        }
        channels.add(new Pack(id, ch));
        served = true;
        problems.add(
            new StoreProblem(
                kind,
                file,
                why
                    + "serving the "
                    + scan.entries().size()
                    + " objects its record headers name"
                    + (scan.damaged().isEmpty()
                        ? ""
                        : "; " + scan.damaged().size() + " stretches of it are damaged")));
      } else {
        problems.add(
            new StoreProblem(
                kind,
                file,
                why + "an unframed pack: its objects are not served until its index is rebuilt"));
      }
    } finally {
      if (!served) {
        ch.close();
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

  /**
   * {@inheritDoc} The content is verified before this returns: its bytes hash to {@code hash}.
   *
   * @throws DamagedContentException if they do not (the store then stops serving that copy)
   */
  @Override
  public StoredObject open(ContentHash hash) throws IOException {
    Location l = index.get(hash);
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
  DamagedContentException damaged(ContentHash hash, Location l, Exception cause) {
    if (l == null) {
      return new DamagedContentException(
          hash, "content " + hash.hex() + " is damaged in the server's store", cause);
    }
    String where = "pack " + packs.resolve(l.pack() + PACK) + " at offset " + l.offset();
    String why = cause.getMessage();
    if (index.remove(hash, l)) {
      verifiedLarge.remove(hash);
      damagedPacks.add(l.pack());
      StoreProblem p =
          new StoreProblem(
              StoreProblem.Kind.OBJECT_DAMAGED,
              packs.resolve(l.pack() + PACK),
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
  Location location(ContentHash hash) {
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
   * removes the replaced packs' files: each index is first renamed to {@code <id>.replaced}, a
   * marker that proves a committed repack replaced the pack (so a crash leaves packs that {@link
   * #open} removes by their marker, never one it must keep and report), then the packs, then the
   * markers. Their channels stay open for readers in flight until the next switch.
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
      index.put(e.hash(), Location.of(ch, e, id));
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
      Repack.move(packs.resolve(p.id() + INDEX), packs.resolve(p.id() + REPLACED));
    }
    AtomicFiles.fsyncDirectory(packs);
    for (Pack p : replaced) {
      Files.deleteIfExists(packs.resolve(p.id() + PACK));
    }
    AtomicFiles.fsyncDirectory(packs);
    for (Pack p : replaced) {
      Files.deleteIfExists(packs.resolve(p.id() + REPLACED));
    }
    AtomicFiles.fsyncDirectory(packs);
    events.stored(entries.stream().map(PackIndexFormat.Entry::hash).toList());
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

  private void publish(String id, FileChannel ch, List<PackIndexFormat.Entry> entries)
      throws IOException {
    synchronized (this) {
      if (closed) {
        ch.close();
        throw new IOException("content store " + packs + " is closed");
      }
      channels.add(new Pack(id, ch));
      synchronized (pinLock) {
        for (PackIndexFormat.Entry e : entries) {
          if (condemned.contains(e.hash())) {
            index.put(e.hash(), Location.of(ch, e, id)); // the old copy is being dropped
          } else {
            index.putIfAbsent(e.hash(), Location.of(ch, e, id));
          }
        }
      }
    }
    events.stored(entries.stream().map(PackIndexFormat.Entry::hash).toList());
  }

  /** A new pack id: creation time first, so ids sort in the order packs were made. */
  static String newId() {
    return String.format(
        "p%013x-%016x", System.currentTimeMillis(), ThreadLocalRandom.current().nextLong());
  }

  Path packsFolder() {
    return packs;
  }

  /** Writes {@code data} at {@code at} of {@code ch}. */
  static void writeAt(FileChannel ch, long at, byte[] data) throws IOException {
    java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(data);
    long p = at;
    while (buf.hasRemaining()) {
      p += ch.write(buf, p);
    }
  }

  /**
   * One batch: a temporary framed pack created on the first stage. Each object's record header is
   * written after its bytes (its hash and length are known only then), in the room left before
   * them.
   */
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
        writeAt(channel, 0, PackFormat.header());
        length = PackFormat.HEADER;
      }
      long start = length;
      long payload = start + PackFormat.RECORD_WHOLE;
      MessageDigest md = ContentHash.newDigest();
      long[] count = {0};
      try {
        channel.position(payload);
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
        PackIndexFormat.Entry entry = new PackIndexFormat.Entry(hash, payload, count[0]);
        writeAt(channel, start, PackFormat.record(entry));
        entries.add(entry);
        staged.put(hash, entry);
        length = payload + count[0];
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
        PackIndexFormat.write(entries, length, true, out);
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
