package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.store.ContentRoots;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.DamagedContentException;
import io.vaultsync.server.store.GarbageCollecting;
import io.vaultsync.server.store.StagingBatch;
import io.vaultsync.server.store.StoreEvents;
import io.vaultsync.server.store.StoredObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A {@link ContentStore} on an S3-compatible object store, for a server of several processes that
 * share one metadata database: content in one <b>pack object</b> per committed batch ({@code
 * <prefix>packs/<id>.pack}, one PUT per batch however many notes it holds: a first upload of 10,000
 * notes costs one request, not 10,000), and an <b>index</b> in the shared database (hash to pack,
 * offset and length, {@link S3Index}), so that {@link #has} and {@link #size} are database lookups
 * that every process answers alike.
 *
 * <p>{@link #open} reads just the object's bytes with a ranged GET and verifies them against its
 * SHA-256 before the first byte is handed out, as {@code PackContentStore} does: a damaged object
 * is never served. It is then dropped from the index, reported ({@link StoreEvents#damaged}) and
 * read as missing, so a device that holds the right bytes can give them back (a later commit of the
 * same content uploads it anew). A download is retried once before it counts as damaged, so a
 * transfer error does not drop anything ({@link S3Reads}). Verified objects go to a bounded local
 * cache ({@link ContentCache}, least recently used out), which serves repeat reads and is verified
 * again when read.
 *
 * <p>Why packs and a database index rather than one S3 object per content (as Nextcloud does):
 * request counts and costs scale with batches, not notes; and the index commit is the one point
 * where content becomes visible, in the same database as the ledger, so "what is stored" can never
 * disagree between processes. The price is that nothing in the bucket is ever reclaimed by itself:
 * an upload whose index rows never committed leaves an orphan pack, and content the records stop
 * naming stays in its pack. {@link #deleteOrphans} and {@link #collect} reclaim both; {@link
 * S3ContentGc} says why they are safe beside commits in other processes.
 *
 * <p>Objects are stored whole (no deltas, no compression): an S3 pack is a framed {@code
 * PackFormat} version-2 pack without an index file. Thread-safe.
 */
public final class S3ContentStore implements ContentStore, GarbageCollecting {
  /**
   * The longest a commit may take from pinning its content to inserting its index rows; a slower
   * one is refused (its pack becomes an orphan). Orphan packs are deleted only when they are older
   * than a grace of at least twice this, so a commit never loses its pack to a sweep.
   */
  public static final Duration MAX_COMMIT = Duration.ofMinutes(10);

  /** The shortest grace {@link #deleteOrphans} accepts (covers clock skew up to its half). */
  public static final Duration MIN_ORPHAN_GRACE = MAX_COMMIT.multipliedBy(2);

  /** The grace a server uses unless configured otherwise. */
  public static final Duration DEFAULT_ORPHAN_GRACE = Duration.ofHours(1);

  private final S3Settings settings;
  private final S3Bucket bucket;
  private final S3Index index;
  private final S3GcIndex gcIndex;
  private final ContentCache cache;
  private final S3ContentGc gc;

  private final S3Reads reads;

  private volatile StoreEvents events = StoreEvents.NONE;

  /** Called at the steps of a commit ("before-put", "after-put"): tests inject faults there. */
  volatile Consumer<String> commitHook = step -> {};

  private S3ContentStore(
      S3Settings settings, S3Bucket bucket, S3Index index, ContentCache cache, Database database) {
    this.settings = settings;
    this.bucket = bucket;
    this.index = index;
    this.gcIndex = new S3GcIndex(database);
    this.cache = cache;
    this.reads = new S3Reads(settings, bucket, index, cache, () -> events);
    this.gc = new S3ContentGc(this);
  }

  /**
   * Opens the store: checks that the bucket exists and takes the credentials (one HEAD request),
   * creates the index tables if missing (SQLite; PostgreSQL has them from its migration) and opens
   * the local cache.
   *
   * @throws ObjectStoreException in one line naming the store when its endpoint cannot be reached,
   *     the bucket is missing or the credentials are refused
   * @throws IOException if the database or the cache folder cannot be used
   */
  public static S3ContentStore open(S3Settings settings, Database database) throws IOException {
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(database, "database");
    S3Bucket bucket = new S3Bucket(settings);
    ContentCache cache = null;
    try {
      bucket.check();
      S3Index index = new S3Index(database);
      index.create();
      cache = ContentCache.open(settings.cache(), settings.cacheBytes());
      return new S3ContentStore(settings, bucket, index, cache, database);
    } catch (IOException | RuntimeException e) {
      bucket.close();
      if (cache != null) {
        cache.close();
      }
      throw e;
    }
  }

  /** Where the store tells what it finds damaged and what it stores. */
  @Override
  public void listen(StoreEvents events) {
    this.events = Objects.requireNonNull(events, "events");
  }

  /**
   * {@inheritDoc} A database lookup.
   *
   * @throws UncheckedIOException if the database cannot be read
   */
  @Override
  public boolean has(ContentHash hash) {
    return size(hash).isPresent();
  }

  /**
   * {@inheritDoc} A database lookup.
   *
   * @throws UncheckedIOException if the database cannot be read
   */
  @Override
  public Optional<Long> size(ContentHash hash) {
    try {
      return index.size(hash);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * {@inheritDoc} The content is verified before this returns: its bytes hash to {@code hash}
   * ({@link S3Reads}).
   *
   * @throws DamagedContentException if they do not, or its pack is gone from the bucket (the store
   *     then forgets that copy)
   * @throws ObjectStoreException if the object store cannot be reached
   */
  @Override
  public StoredObject open(ContentHash hash) throws IOException {
    return reads.open(hash);
  }

  @Override
  public StagingBatch newBatch() {
    return new S3Batch(this);
  }

  /**
   * Content GC: forgets every object that {@code roots} do not name and that no commit in any
   * process relies on, deletes the packs left without a live object and rewrites the packs that are
   * mostly dead ({@link S3ContentGc}).
   *
   * <p>Preconditions: one process runs it at a time (the cluster's GC lease; an overlapping run
   * wastes work but loses nothing); {@code roots} reads, from the shared database, every hash any
   * record of any vault names; safe beside commits, reads and orphan sweeps in every process.
   */
  public S3GcStats collect(ContentRoots roots) throws IOException {
    return gc.collect(Objects.requireNonNull(roots, "roots"));
  }

  /**
   * Deletes orphan packs: keys under {@code packs/} that no index row names and that the object
   * store dates more than {@code grace} ago (uploads whose index commit never happened: a crash, a
   * database failure).
   *
   * <p>Preconditions: {@code grace} at least {@link #MIN_ORPHAN_GRACE} (default {@link
   * #DEFAULT_ORPHAN_GRACE}); the clocks of the server processes and the object store agree to
   * within {@code grace - MAX_COMMIT}. Safe beside commits in every process; best run by one.
   *
   * @throws IllegalArgumentException if {@code grace} is shorter than {@link #MIN_ORPHAN_GRACE}
   */
  public OrphanStats deleteOrphans(Duration grace) throws IOException {
    return gc.deleteOrphans(grace);
  }

  @Override
  public String collectGarbage(ContentRoots roots) throws IOException {
    return collect(roots).summary();
  }

  @Override
  public String sweepOrphans() throws IOException {
    return deleteOrphans(DEFAULT_ORPHAN_GRACE).summary();
  }

  /** Bytes and objects in the local cache now. */
  public long cachedBytes() {
    return cache.bytes();
  }

  /** What to call the store in a message. */
  public String describe() {
    return settings.describe();
  }

  @Override
  public void close() throws IOException {
    try {
      bucket.close();
    } finally {
      cache.close();
    }
  }

  // ---- for the batch and the GC ----

  /** Tells who listens that {@code rows} are stored now. */
  void stored(List<IndexRow> rows) {
    events.stored(rows.stream().map(IndexRow::hash).toList());
  }

  S3Index index() {
    return index;
  }

  S3GcIndex gcIndex() {
    return gcIndex;
  }

  S3Bucket bucket() {
    return bucket;
  }

  ContentCache cache() {
    return cache;
  }

  S3Location location() {
    return settings.location();
  }

  Clock clock() {
    return settings.clock();
  }

  S3Reads readsForTests() {
    return reads;
  }

  S3ContentGc gcForTests() {
    return gc;
  }

  Consumer<String> hooks() {
    return commitHook;
  }
}
