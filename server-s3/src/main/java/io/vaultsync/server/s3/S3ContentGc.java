package io.vaultsync.server.s3;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.ContentRoots;
import io.vaultsync.server.store.PackFormat;
import io.vaultsync.server.store.PackIndexFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reclaiming space in an {@link S3ContentStore}, safely beside commits in other processes.
 *
 * <h2>Content GC ({@link #collect})</h2>
 *
 * The danger: a commit in another process deduplicates against stored content X (its batch finds
 * X's row and does not upload X) and then records X in its ledger; if GC read its roots before that
 * ledger commit and drops X before it, the ledger names content that is gone. {@code
 * PackContentStore} closes this in one process with {@code PackPins}; here the same two rules live
 * in the database, so they hold across processes:
 *
 * <ol>
 *   <li><b>Generations.</b> GC first advances {@code s3_gc.generation} to g. Every commit marks
 *       each row it deduplicates against, and each row it inserts, with the generation it reads in
 *       the same transaction ({@code touched_gen}). GC deletes a row only with {@code touched_gen <
 *       g}, re-checked in the deleting transaction. So a commit that touched X after the advance
 *       keeps X, whenever its ledger commit comes.
 *   <li><b>Pins.</b> A batch pins every hash it staged ({@code s3_pins}) in the same transaction as
 *       it touches, and drops the pins when it is closed, which its caller does after its ledger
 *       commit. GC reads the pins after advancing the generation and keeps every pinned hash. So a
 *       commit that touched X before the advance but had not closed by then keeps X too.
 *   <li>GC reads its roots after both. A commit that touched X before the advance and closed before
 *       GC read the pins has committed its ledger rows before GC reads the roots: X is a root.
 * </ol>
 *
 * Every commit is in one of these three cases, so no commit can come to name content that GC drops.
 * A commit that touches X after GC deleted its row finds no row and uploads its own copy. Pins of a
 * process that died are dropped once older than {@link #PIN_EXPIRY} (a live commit pins for at most
 * {@link S3ContentStore#MAX_COMMIT} before its rows, then closes at once).
 *
 * <p>Then packs: a pack no row names any more is forgotten (its row deleted only if still no object
 * row names it; no commit can add one, since a commit names only its own new pack) and its key
 * deleted. A pack whose live objects fill less than {@link #REWRITE_BELOW} of it is rewritten: its
 * live objects are read (one ranged GET), verified, uploaded as a new pack, and their rows moved to
 * it in one transaction; then the old pack is forgotten and deleted. A reader that looked up the
 * old place meanwhile finds the key gone, looks the row up again and reads the new place. A crash
 * anywhere leaves at worst a pack no row names: an orphan for {@link #deleteOrphans}.
 *
 * <h2>Orphan packs ({@link #deleteOrphans})</h2>
 *
 * A commit uploads its pack before it inserts its rows, so a crash or a database failure in between
 * leaves a pack no row names (Nextcloud's orphaned objects, nextcloud/server#20333, are such
 * uploads, there never reclaimed). The sweep lists the pack keys first, then reads which have rows,
 * and deletes those without rows that the object store dates more than the grace ago. A commit
 * inserts its rows within {@link S3ContentStore#MAX_COMMIT} of starting or not at all, and the
 * grace is at least twice that, so a pack whose rows are still coming is never old enough: with
 * clocks that agree to within the difference, the sweep deletes only what no commit will claim.
 *
 * <p>Both run in the process that holds the cluster's GC lease; a second, overlapping run (a lease
 * that ran out) repeats work but every deletion is re-checked where it happens.
 */
final class S3ContentGc {
  private static final Logger log = LoggerFactory.getLogger(S3ContentGc.class);

  /** A pack whose live objects fill less than this fraction of it is rewritten. */
  static final double REWRITE_BELOW = 0.5;

  /** Pins older than this belong to a process that died. */
  static final Duration PIN_EXPIRY = S3ContentStore.DEFAULT_ORPHAN_GRACE;

  private final S3ContentStore store;

  /** Called at the steps of a collection ("roots": pins and roots read): tests race commits. */
  volatile Consumer<String> hook = step -> {};

  S3ContentGc(S3ContentStore store) {
    this.store = store;
  }

  S3GcStats collect(ContentRoots roots) throws IOException {
    S3GcIndex index = store.gcIndex();
    long gen = index.nextGeneration();
    long now = store.clock().millis();
    int stale = index.dropPinsBefore(now - PIN_EXPIRY.toMillis());
    if (stale > 0) {
      log.info("dropped {} pins older than {} (of batches whose process died)", stale, PIN_EXPIRY);
    }
    Set<ContentHash> pinned = index.pinned();
    Set<ContentHash> named = roots.named();
    hook.accept("roots");
    List<ContentHash> unnamed = new ArrayList<>();
    Map<ContentHash, Long> lengths = new HashMap<>();
    long kept = 0;
    for (S3GcIndex.ObjectGen o : index.objects()) {
      if (named.contains(o.hash())) {
        continue;
      }
      if (pinned.contains(o.hash()) || o.touchedGen() >= gen) {
        kept++;
      } else {
        unnamed.add(o.hash());
        lengths.put(o.hash(), o.length());
      }
    }
    Set<ContentHash> deleted = index.deleteUntouched(unnamed, gen);
    kept += unnamed.size() - deleted.size();
    long droppedBytes = 0;
    for (ContentHash h : deleted) {
      droppedBytes += lengths.get(h);
    }
    hook.accept("dropped");
    int packsDeleted = 0;
    int rewritten = 0;
    long freed = 0;
    for (S3GcIndex.PackUse p : index.packUse()) {
      if (p.objects() == 0) {
        if (index.forgetIfEmpty(p.key())) {
          store.bucket().delete(p.key());
          packsDeleted++;
          freed += p.bytes();
        }
      } else if (p.liveBytes() < p.bytes() * REWRITE_BELOW) {
        long after = rewrite(p);
        if (after >= 0) {
          rewritten++;
          freed += p.bytes() - after;
        }
      }
    }
    S3GcStats stats =
        new S3GcStats(deleted.size(), droppedBytes, kept, packsDeleted, rewritten, freed);
    log.info("{}: {}", store.describe(), stats.summary());
    return stats;
  }

  /**
   * Copies the live objects of {@code p} into a new pack and deletes {@code p}; returns the new
   * pack's size, or -1 if nothing was rewritten.
   */
  private long rewrite(S3GcIndex.PackUse p) throws IOException {
    S3GcIndex index = store.gcIndex();
    List<IndexRow> live = index.rowsOf(p.key());
    if (live.isEmpty()) {
      return -1;
    }
    long from = live.get(0).offset();
    long to = from;
    for (IndexRow r : live) {
      to = Math.max(to, r.offset() + r.length());
    }
    String key = store.location().packKey(S3Packs.newId());
    Path temp = store.cache().newTempFile("rewrite");
    List<IndexRow> moved = new ArrayList<>();
    List<IndexRow> damaged = new ArrayList<>();
    try {
      try (OutputStream out = Files.newOutputStream(temp)) {
        out.write(PackFormat.header());
        long[] at = {PackFormat.HEADER};
        long start = from;
        store
            .bucket()
            .read(
                p.key(),
                from,
                to - from,
                in -> {
                  long pos = start;
                  for (IndexRow r : live) {
                    if (r.offset() < pos) {
                      damaged.add(r); // overlaps the previous object: the index is wrong
                      continue;
                    }
                    in.skipNBytes(r.offset() - pos);
                    byte[] record =
                        PackFormat.record(new PackIndexFormat.Entry(r.hash(), 0, r.length()));
                    MessageDigest md = ContentHash.newDigest();
                    Path part = temp.resolveSibling(temp.getFileName() + ".part");
                    try (OutputStream po = Files.newOutputStream(part)) {
                      copy(in, r.length(), md, po);
                    }
                    pos = r.offset() + r.length();
                    if (!ContentHash.finish(md).equals(r.hash())) {
                      damaged.add(r);
                      Files.delete(part);
                      continue;
                    }
                    out.write(record);
                    at[0] += record.length;
                    moved.add(new IndexRow(r.hash(), key, at[0], r.length()));
                    try (InputStream pi = Files.newInputStream(part)) {
                      pi.transferTo(out);
                    }
                    Files.delete(part);
                    at[0] += r.length();
                  }
                });
      }
      long size = Files.size(temp);
      for (IndexRow r : damaged) {
        log.error(
            "content {} is damaged in {} pack {} at offset {}; a rewrite leaves it out",
            r.hash().hex(),
            store.describe(),
            r.pack(),
            r.offset());
        store.index().drop(r);
      }
      if (!moved.isEmpty()) {
        long started = store.clock().millis();
        store.bucket().put(key, () -> newStream(temp), size);
        if (store.clock().millis() - started > S3ContentStore.MAX_COMMIT.toMillis()) {
          // As a commit: rows this late could name a pack an orphan sweep already deleted.
          log.warn(
              "rewrite of pack {} took longer than {}; left to the orphan sweep",
              key,
              S3ContentStore.MAX_COMMIT);
          return -1;
        }
        index.move(p.key(), key, size, store.clock().millis(), moved);
      }
      if (index.forgetIfEmpty(p.key())) {
        store.bucket().delete(p.key());
      }
      return moved.isEmpty() ? 0 : size;
    } finally {
      Files.deleteIfExists(temp);
      Files.deleteIfExists(temp.resolveSibling(temp.getFileName() + ".part"));
    }
  }

  private static InputStream newStream(Path file) {
    try {
      return Files.newInputStream(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void copy(InputStream in, long length, MessageDigest md, OutputStream out)
      throws IOException {
    byte[] buf = new byte[64 * 1024];
    long left = length;
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new java.io.EOFException("pack ended " + left + " bytes before its object did");
      }
      md.update(buf, 0, n);
      out.write(buf, 0, n);
      left -= n;
    }
  }

  OrphanStats deleteOrphans(Duration grace) throws IOException {
    if (grace == null || grace.compareTo(S3ContentStore.MIN_ORPHAN_GRACE) < 0) {
      throw new IllegalArgumentException(
          "orphan grace "
              + grace
              + " is shorter than "
              + S3ContentStore.MIN_ORPHAN_GRACE
              + " (twice the longest commit): a pack whose commit is still running could go");
    }
    Instant cutoff = store.clock().instant().minus(grace);
    S3Location location = store.location();
    Map<String, Long> old = new HashMap<>();
    long[] listed = {0};
    long[] young = {0};
    store
        .bucket()
        .list(
            location.packsPrefix(),
            o -> {
              if (!location.isPackKey(o.key())) {
                return; // not ours: left alone
              }
              listed[0]++;
              if (o.lastModified() != null && o.lastModified().isBefore(cutoff)) {
                old.put(o.key(), o.size());
              } else {
                young[0]++;
              }
            });
    // Read after listing: a pack committed before this read is seen as committed.
    Set<String> committed = store.gcIndex().committed(old.keySet());
    long deleted = 0;
    long bytes = 0;
    Set<String> orphans = new HashSet<>(old.keySet());
    orphans.removeAll(committed);
    for (String key : orphans) {
      store.bucket().delete(key);
      log.info("deleted orphan pack {} of {} bytes from {}", key, old.get(key), store.describe());
      deleted++;
      bytes += Math.max(0, old.get(key));
    }
    return new OrphanStats(listed[0], deleted, bytes, young[0]);
  }
}
