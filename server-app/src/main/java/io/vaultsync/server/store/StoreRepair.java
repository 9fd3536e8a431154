package io.vaultsync.server.store;

import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.io.AtomicFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What {@code vaultsync server check --repair} does to the content store's files, with the store
 * closed (the server stopped). Nothing is ever deleted: a file that is replaced or given up is
 * moved into {@code <store>/damaged/} with the time of the repair in its name.
 *
 * <ul>
 *   <li>{@link #rebuildIndexes}: a pack without a readable index gets one again: a framed pack from
 *       its record headers (whole objects are hashed; damaged ones are left out), an unframed one
 *       by a walk guided by the (hash, size) pairs the database names (docs/FORMAT.md section 9.1).
 *       An index whose pack is gone is moved aside, and one longer than its pack is rewritten
 *       without the objects cut off.
 *   <li>{@link #salvage}: a pack holding damaged objects has its intact objects copied into a new
 *       framed pack, then is moved aside with its index.
 * </ul>
 *
 * Each new index or pack is written under a temporary name, fsynced and renamed, so a crash in the
 * middle leaves the store as it was or with valid duplicates.
 */
public final class StoreRepair {
  private static final DateTimeFormatter STAMP =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  /** Temporary names of rebuilt indexes; they never look like a commit's temporary index. */
  static final String REBUILT = AtomicFiles.TEMP_PREFIX + "rebuilt-";

  private final Path packs;
  private final Path aside;
  private final String stamp;

  /**
   * Repairs of the store under {@code root} (its {@code packs/} folder), timed by {@code clock}.
   */
  public StoreRepair(Path root, Clock clock) {
    this.packs = root.resolve("packs");
    this.aside = root.resolve("damaged");
    this.stamp = STAMP.format(clock.instant());
  }

  /**
   * Gives every pack a usable index again where it can; returns one line per thing done.
   *
   * @param candidates (hash → size) of every content the database names, to identify the objects of
   *     an unframed pack
   */
  public List<String> rebuildIndexes(Map<ContentHash, Long> candidates) throws IOException {
    List<String> done = new ArrayList<>();
    Map<String, Path> packFiles = new TreeMap<>();
    Map<String, Path> indexFiles = new TreeMap<>();
    Set<String> replaced = new HashSet<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(packs)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
          continue;
        }
        if (name.endsWith(PackFiles.REPLACED)) {
          replaced.add(PackFiles.strip(name, PackFiles.REPLACED));
        } else if (name.endsWith(PackFiles.PACK)) {
          packFiles.put(PackFiles.strip(name, PackFiles.PACK), p);
        } else if (name.endsWith(PackFiles.INDEX)) {
          indexFiles.put(PackFiles.strip(name, PackFiles.INDEX), p);
        }
      }
    }
    Map<String, PackIndexFormat.Parsed> readable = new TreeMap<>();
    for (Map.Entry<String, Path> e : indexFiles.entrySet()) {
      try {
        readable.put(e.getKey(), PackFiles.readIndex(e.getValue()));
      } catch (FormatException ex) {
        // rebuilt below if its pack is there, else moved aside
      }
    }
    packFiles.keySet().removeAll(replaced); // a committed repack replaced them: open removes them
    for (Map.Entry<String, Path> e : packFiles.entrySet()) {
      String id = e.getKey();
      PackIndexFormat.Parsed parsed = readable.get(id);
      if (parsed == null) {
        done.addAll(rebuild(id, e.getValue(), indexFiles.get(id), candidates));
      } else if (Files.size(e.getValue()) < parsed.packLength()) {
        done.add(trim(id, e.getValue(), indexFiles.get(id), parsed));
      }
    }
    Set<ContentHash> indexedElsewhere = new HashSet<>();
    for (Map.Entry<String, PackIndexFormat.Parsed> e : readable.entrySet()) {
      if (packFiles.containsKey(e.getKey())) {
        e.getValue().entries().forEach(x -> indexedElsewhere.add(x.hash()));
      }
    }
    for (Map.Entry<String, Path> e : indexFiles.entrySet()) {
      if (packFiles.containsKey(e.getKey())) {
        continue;
      }
      PackIndexFormat.Parsed parsed = readable.get(e.getKey());
      long lost =
          parsed == null
              ? -1
              : parsed.entries().stream().filter(x -> !indexedElsewhere.contains(x.hash())).count();
      Path moved = moveAside(e.getValue());
      done.add(
          "moved the index "
              + e.getValue()
              + " of a missing pack to "
              + moved
              + (lost < 0
                  ? " (unreadable)"
                  : " (" + lost + " objects it named are stored nowhere else)"));
    }
    return done;
  }

  /** Rebuilds the index of one pack; {@code oldIndex} (null: none) is unreadable. */
  private List<String> rebuild(
      String id, Path pack, Path oldIndex, Map<ContentHash, Long> candidates) throws IOException {
    List<String> done = new ArrayList<>();
    List<PackIndexFormat.Entry> entries = new ArrayList<>();
    boolean framed;
    String how;
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ)) {
      long size = ch.size();
      framed = PackScanner.isFramed(ch);
      if (framed) {
        PackScanner.Scan scan = PackScanner.scan(ch);
        int damaged = 0;
        for (PackIndexFormat.Entry e : scan.entries()) {
          if (e.isDelta() || e.hash().equals(hash(ch, e.offset(), e.length()))) {
            entries.add(e);
          } else {
            damaged++;
          }
        }
        how =
            "from its record headers: "
                + entries.size()
                + " objects"
                + (damaged > 0 ? ", " + damaged + " damaged ones left out" : "")
                + (scan.damaged().isEmpty()
                    ? ""
                    : ", " + scan.damaged().size() + " damaged stretches skipped");
      } else {
        long end = walk(ch, candidates, entries);
        how =
            "by matching the database's contents at each offset: "
                + entries.size()
                + " objects"
                + (end < size
                    ? ", "
                        + (size - end)
                        + " bytes from offset "
                        + end
                        + " unidentified (kept in the pack)"
                    : "");
      }
      if (entries.isEmpty()) {
        done.add("could not rebuild the index of " + pack + " (" + how + "); the pack is kept");
        return done;
      }
      if (oldIndex != null) {
        done.add("moved the corrupt index " + oldIndex + " to " + moveAside(oldIndex));
      }
      writeIndex(id, entries, size, framed);
    }
    done.add("rebuilt the index of " + pack + " " + how);
    return done;
  }

  /**
   * Walks an unframed pack from offset 0: at each offset, the first candidate (smallest size first)
   * whose bytes there hash to it. Returns where the walk stopped (the pack's length if it
   * identified everything).
   */
  static long walk(
      FileChannel ch, Map<ContentHash, Long> candidates, List<PackIndexFormat.Entry> out)
      throws IOException {
    TreeMap<Long, Set<ContentHash>> bySize = new TreeMap<>();
    candidates.forEach(
        (h, size) -> {
          if (size > 0) {
            bySize.computeIfAbsent(size, s -> new HashSet<>()).add(h);
          }
        });
    long length = ch.size();
    long at = 0;
    byte[] buf = new byte[64 * 1024];
    while (at < length) {
      MessageDigest md = ContentHash.newDigest();
      long hashed = 0;
      PackIndexFormat.Entry found = null;
      for (Map.Entry<Long, Set<ContentHash>> c : bySize.headMap(length - at, true).entrySet()) {
        long size = c.getKey();
        while (hashed < size) {
          int n = (int) Math.min(buf.length, size - hashed);
          int got = PackScanner.readAt(ch, at + hashed, buf, n);
          md.update(buf, 0, got);
          hashed += got;
          if (got < n) {
            break;
          }
        }
        ContentHash h;
        try {
          h = ContentHash.finish((MessageDigest) md.clone());
        } catch (CloneNotSupportedException e) {
          throw new IllegalStateException("SHA-256 digest cannot be cloned", e);
        }
        if (c.getValue().contains(h)) {
          found = new PackIndexFormat.Entry(h, at, size);
          break;
        }
      }
      if (found == null) {
        return at;
      }
      out.add(found);
      at += found.length();
    }
    return at;
  }

  /** Rewrites the index of a pack cut short without the objects past its end. */
  private String trim(String id, Path pack, Path index, PackIndexFormat.Parsed parsed)
      throws IOException {
    long size = Files.size(pack);
    List<PackIndexFormat.Entry> kept = new ArrayList<>();
    for (PackIndexFormat.Entry e : parsed.entries()) {
      if (e.offset() + e.length() <= size) {
        kept.add(e);
      }
    }
    Path moved = moveAside(index);
    writeIndex(id, kept, size, parsed.framed());
    return "rewrote the index of "
        + pack
        + ", shorter than its index said, without the "
        + (parsed.entries().size() - kept.size())
        + " objects cut off (old index moved to "
        + moved
        + ")";
  }

  /**
   * Copies the intact objects of each pack in {@code damaged} (pack id → hashes of its damaged
   * copies) into a new framed pack, then moves the pack and its index aside. Returns one line per
   * pack.
   */
  public List<String> salvage(Map<String, Set<ContentHash>> damaged) throws IOException {
    List<String> done = new ArrayList<>();
    for (Map.Entry<String, Set<ContentHash>> d : damaged.entrySet()) {
      String id = d.getKey();
      Path pack = packs.resolve(id + PackFiles.PACK);
      Path index = packs.resolve(id + PackFiles.INDEX);
      if (!Files.exists(pack)) {
        continue;
      }
      List<PackIndexFormat.Entry> intact = new ArrayList<>();
      String newId = null;
      try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ)) {
        List<PackIndexFormat.Entry> entries;
        try {
          entries = PackFiles.readIndex(index).entries();
        } catch (FormatException | java.nio.file.NoSuchFileException e) {
          entries = PackScanner.scan(ch).entries();
        }
        for (PackIndexFormat.Entry e : entries) {
          if (!d.getValue().contains(e.hash()) && e.offset() + e.length() <= ch.size()) {
            intact.add(e);
          }
        }
        if (!intact.isEmpty()) {
          newId = copy(ch, intact);
        }
      }
      Path movedPack = moveAside(pack);
      if (Files.exists(index)) {
        moveAside(index);
      }
      done.add(
          "moved pack "
              + pack
              + " with "
              + d.getValue().size()
              + " damaged objects to "
              + movedPack
              + (newId == null
                  ? ""
                  : "; its " + intact.size() + " intact objects are in pack " + newId));
    }
    return done;
  }

  /** Writes {@code entries} of the pack in {@code from} into a new framed pack; returns its id. */
  private String copy(FileChannel from, List<PackIndexFormat.Entry> entries) throws IOException {
    try (PackWriter pack = PackWriter.create(packs)) {
      for (PackIndexFormat.Entry e : entries) {
        pack.copy(e, from, e.offset(), null);
      }
      // Unlike a commit, the pack is renamed first, then its index is written (a crash in between
      // leaves a framed pack without an index, which is served from its record headers and rebuilt
      // by a check).
      pack.commitWithoutIndex().close();
      writeIndex(pack.id(), pack.entries(), pack.length(), true);
      return pack.id();
    }
  }

  /** Writes the index of pack {@code id} under a temporary name, fsyncs and renames it. */
  private void writeIndex(
      String id, List<PackIndexFormat.Entry> entries, long packLength, boolean framed)
      throws IOException {
    Path temp = packs.resolve(REBUILT + id + PackFiles.INDEX);
    PackFiles.writeIndex(temp, entries, packLength, framed);
    PackFiles.move(temp, packs.resolve(id + PackFiles.INDEX));
    AtomicFiles.fsyncDirectory(packs);
  }

  /** Moves {@code file} into the damaged folder, stamped; returns where it went. */
  private Path moveAside(Path file) throws IOException {
    Files.createDirectories(aside);
    Path to = aside.resolve(file.getFileName() + "." + stamp);
    for (int i = 2; Files.exists(to); i++) {
      to = aside.resolve(file.getFileName() + "." + stamp + "-" + i);
    }
    PackFiles.move(file, to);
    AtomicFiles.fsyncDirectory(file.getParent());
    return to;
  }

  private static ContentHash hash(FileChannel ch, long offset, long length) throws IOException {
    MessageDigest md = ContentHash.newDigest();
    byte[] buf = new byte[64 * 1024];
    for (long done = 0; done < length; ) {
      int n = (int) Math.min(buf.length, length - done);
      int got = PackScanner.readAt(ch, offset + done, buf, n);
      md.update(buf, 0, got);
      if (got < n) {
        return null;
      }
      done += n;
    }
    return ContentHash.finish(md);
  }
}
