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
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opening a store's {@code packs/} folder: what interrupted commits and repacks left is finished or
 * removed, then every pack is served, through its index or, when that is lost or corrupt and the
 * pack is framed, through its record headers; what cannot be served is reported.
 *
 * <p>Temporary packs are removed, and a pack is removed only when its temporary index is still
 * there (a crash between the two renames of {@link PackWriter#commit}: that commit never happened,
 * and the ledger, committed after the store, cannot name its objects), or when its {@code
 * .replaced} marker proves that a committed repack replaced it. Nothing else is ever deleted: a
 * pack without an index is kept (served from its record headers when it is framed) and reported, an
 * index whose pack is gone is reported unless every object it names is stored in another pack (a
 * repack's leftover), and a corrupt index is reported. Where a hash is in several packs, the newest
 * pack's copy is served.
 */
final class PackLoader {
  private static final Logger log = LoggerFactory.getLogger(PackLoader.class);

  private final Path packs;
  private final Map<ContentHash, ObjectLocation> index;
  private final List<Pack> channels;
  private final List<StoreProblem> problems;

  /**
   * A loader of {@code packs} that fills the store's {@code index}, its open {@code channels} (the
   * store closes them, also when loading fails) and its {@code problems}.
   */
  PackLoader(
      Path packs,
      Map<ContentHash, ObjectLocation> index,
      List<Pack> channels,
      List<StoreProblem> problems) {
    this.packs = packs;
    this.index = index;
    this.channels = channels;
    this.problems = problems;
  }

  /**
   * Recovers and loads the folder.
   *
   * @throws IOException if the folder cannot be read
   */
  void load() throws IOException {
    Map<String, Path> indexFiles = new TreeMap<>();
    Map<String, Path> packFiles = new TreeMap<>();
    List<Path> tempIndexes = new ArrayList<>();
    List<Path> replacedMarkers = new ArrayList<>();
    try (DirectoryStream<Path> dir = Files.newDirectoryStream(packs)) {
      for (Path p : dir) {
        String name = p.getFileName().toString();
        if (name.startsWith(AtomicFiles.TEMP_PREFIX) && name.endsWith(PackFiles.INDEX)) {
          tempIndexes.add(p);
        } else if (name.startsWith(AtomicFiles.TEMP_PREFIX)) {
          log.info("removing {} left by an interrupted commit", name);
          Files.deleteIfExists(p);
        } else if (name.endsWith(PackFiles.INDEX)) {
          indexFiles.put(PackFiles.strip(name, PackFiles.INDEX), p);
        } else if (name.endsWith(PackFiles.PACK)) {
          packFiles.put(PackFiles.strip(name, PackFiles.PACK), p);
        } else if (name.endsWith(PackFiles.REPLACED)) {
          replacedMarkers.add(p);
        }
      }
    }
    for (Path marker : replacedMarkers) {
      // A committed repack replaced this pack; a crash stopped the switch before it was removed.
      String id = PackFiles.strip(marker.getFileName().toString(), PackFiles.REPLACED);
      Path pack = packFiles.remove(id);
      if (pack != null) {
        log.info("removing pack {}{}, replaced by a repack", id, PackFiles.PACK);
        Files.deleteIfExists(pack);
      }
      Files.deleteIfExists(marker);
    }
    for (Path temp : tempIndexes) {
      String id =
          PackFiles.strip(
              temp.getFileName().toString().substring(AtomicFiles.TEMP_PREFIX.length()),
              PackFiles.INDEX);
      if (packFiles.containsKey(id) && !indexFiles.containsKey(id)) {
        // Renamed pack, index still temporary: the commit point was never reached.
        log.info("removing pack {}{} whose commit did not finish", id, PackFiles.PACK);
        Files.deleteIfExists(packFiles.remove(id));
      }
      Files.deleteIfExists(temp);
    }
    Map<String, PackIndexFormat.Parsed> parsed = new TreeMap<>();
    Map<String, String> unreadable = new TreeMap<>();
    for (Map.Entry<String, Path> e : indexFiles.entrySet()) {
      try {
        parsed.put(e.getKey(), PackFiles.readIndex(e.getValue()));
      } catch (FormatException ex) {
        unreadable.put(e.getKey(), ex.getMessage());
      }
    }
    // Newest first: where a hash is in several packs, the newest copy (a repack's, or content a
    // client gave back after an older copy was found damaged) is the one served.
    List<String> newestFirst = new ArrayList<>(parsed.keySet());
    Collections.reverse(newestFirst);
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
            PackFiles.INDEX);
        Files.deleteIfExists(indexFiles.get(id));
      } else {
        problems.add(
            new StoreProblem(
                StoreProblem.Kind.PACK_MISSING,
                packs.resolve(id + PackFiles.PACK),
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
    Collections.reverse(unindexed);
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
        index.putIfAbsent(e.hash(), ObjectLocation.of(ch, e, id));
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
    Path file = unreadable == null ? pack : packs.resolve(id + PackFiles.INDEX);
    String why = unreadable == null ? "" : unreadable + "; ";
    FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ);
    boolean served = false;
    try {
      if (PackScanner.isFramed(ch)) {
        PackScanner.Scan scan = PackScanner.scan(ch);
        for (PackIndexFormat.Entry e : scan.entries()) {
          index.putIfAbsent(e.hash(), ObjectLocation.of(ch, e, id));
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
}
