package io.vaultsync.client.state;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Persists a {@link LocalIndex} as a snapshot ({@code index}, {@link IndexFile}) plus an
 * append-only journal ({@code index.journal}, {@link IndexJournal}), so that saving costs what
 * changed, not the vault: a save with nothing changed writes nothing; one that changed k entries
 * appends one fsynced record of O(k) bytes. When the journal would outgrow an eighth of the
 * snapshot (at least {@value #MIN_COMPACT_BYTES} bytes), the save writes a new snapshot with a new
 * generation and then an empty journal naming it, each atomically: a crash between the two leaves a
 * journal naming the old generation, which is ignored, and the new snapshot already holds
 * everything.
 */
public final class IndexStore {
  static final String SNAPSHOT = "index";
  static final String JOURNAL = "index.journal";

  /** A journal smaller than this is never compacted. */
  static final long MIN_COMPACT_BYTES = 64 * 1024;

  /**
   * The journal may grow to this fraction of the snapshot: small enough that a load reads mostly
   * the snapshot (one parse loop to warm up in a fresh JVM, not two), large enough that a
   * compaction is rare (at 10,000 notes, ~1,000 one-line edits apart) and costs O(1) per byte
   * journaled.
   */
  static final int JOURNAL_FRACTION = 8;

  private IndexStore() {}

  /** Reads the index kept in {@code dir}: the snapshot, then the journal's whole records. */
  public static LocalIndex read(Path dir) throws IOException {
    Path snapshotFile = dir.resolve(SNAPSHOT);
    IndexFile.Snapshot snapshot = IndexFile.readSnapshot(snapshotFile);
    LocalIndex index = snapshot.index();
    BasicFileAttributes attrs = attributes(snapshotFile);
    IndexJournal.Replay replay =
        IndexJournal.replay(dir.resolve(JOURNAL), snapshot.generation(), index);
    boolean compactDue =
        attrs == null
            || snapshot.version() != IndexFile.VERSION
            || !replay.usable()
            || replay.dropped();
    index.saved(
        new IndexStamp(
            snapshot.generation(),
            attrs == null ? null : attrs.fileKey(),
            attrs == null ? 0 : attrs.size(),
            replay.validBytes(),
            compactDue));
    return index;
  }

  /**
   * Saves what changed in {@code index} since it was read from or saved to {@code dir}: nothing,
   * one journal record, or a new snapshot.
   */
  public static void write(Path dir, LocalIndex index) throws IOException {
    IndexStamp stamp = index.stamp();
    if (stamp != null && !stamp.compactDue() && !index.hasUnsavedChanges()) {
      return;
    }
    if (stamp == null || stamp.compactDue() || stamp.generation() == 0) {
      compact(dir, index);
      return;
    }
    byte[] record = IndexJournal.record(index);
    long grown = stamp.journalBytes() + record.length;
    if (record.length - 8 > IndexJournal.MAX_RECORD
        || grown > Math.max(MIN_COMPACT_BYTES, stamp.snapshotBytes() / JOURNAL_FRACTION)) {
      compact(dir, index);
      return;
    }
    try {
      long length = IndexJournal.append(dir.resolve(JOURNAL), stamp.journalBytes(), record);
      index.saved(stamp.withJournal(length));
    } catch (IOException | RuntimeException e) {
      index.saved(stamp.compactNext()); // the changes stay in memory; the next save rewrites all
      throw e;
    }
  }

  /** Writes {@code index} whole as a new snapshot and starts an empty journal after it. */
  public static void compact(Path dir, LocalIndex index) throws IOException {
    IndexStamp old = index.stamp();
    long generation;
    do {
      generation = ThreadLocalRandom.current().nextLong();
    } while (generation == 0 || (old != null && generation == old.generation()));
    Path snapshotFile = dir.resolve(SNAPSHOT);
    IndexFile.write(snapshotFile, index, generation);
    BasicFileAttributes attrs = attributes(snapshotFile);
    IndexJournal.create(dir.resolve(JOURNAL), generation);
    index.saved(
        new IndexStamp(
            generation,
            attrs == null ? null : attrs.fileKey(),
            attrs == null ? 0 : attrs.size(),
            IndexJournal.HEADER_BYTES,
            false));
  }

  /**
   * Whether {@code dir} still holds exactly what {@code index} was read from or saved as (no other
   * process saved meanwhile), so a cached copy may be used instead of reading it again.
   */
  public static boolean isCurrent(Path dir, LocalIndex index) throws IOException {
    IndexStamp stamp = index.stamp();
    if (stamp == null || stamp.compactDue() || stamp.snapshotKey() == null) {
      return false;
    }
    BasicFileAttributes snap = attributes(dir.resolve(SNAPSHOT));
    BasicFileAttributes journal = attributes(dir.resolve(JOURNAL));
    return snap != null
        && journal != null
        && stamp.snapshotKey().equals(snap.fileKey())
        && stamp.snapshotBytes() == snap.size()
        && stamp.journalBytes() == journal.size();
  }

  private static BasicFileAttributes attributes(Path file) throws IOException {
    try {
      return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (NoSuchFileException e) {
      return null;
    }
  }
}
