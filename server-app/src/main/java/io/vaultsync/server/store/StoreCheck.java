package io.vaultsync.server.store;

import io.vaultsync.core.format.CorruptDataException;
import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The full check of an opened {@link PackContentStore}, for {@code vaultsync server check}: every
 * copy of every object in every pack it serves is read back and hashed (a delta by patching its
 * chain), and in a framed pack its record header is compared with its index entry. What it finds
 * comes with what the store found when it opened (a pack without an index, an index without its
 * pack, a short pack). Reads the whole store: O(bytes stored).
 */
public final class StoreCheck {
  private StoreCheck() {}

  /**
   * What the check found.
   *
   * @param problems every problem, one line each
   * @param damaged per pack id, the hashes of the damaged copies it holds
   * @param lost hashes of which no intact copy was found in any pack
   * @param packs packs read
   * @param objects object copies read
   * @param bytes bytes of those packs
   */
  public record Result(
      List<StoreProblem> problems,
      Map<String, Set<ContentHash>> damaged,
      Set<ContentHash> lost,
      int packs,
      long objects,
      long bytes) {}

  /** Checks every object of {@code store}. */
  public static Result verify(PackContentStore store) throws IOException {
    List<StoreProblem> problems = new ArrayList<>(store.problems());
    Map<String, Set<ContentHash>> damaged = new LinkedHashMap<>();
    Set<ContentHash> good = new HashSet<>();
    Set<ContentHash> bad = new HashSet<>();
    long objects = 0;
    long bytes = 0;
    List<Pack> packs = store.packs();
    for (Pack p : packs) {
      Path packFile = store.packsFolder().resolve(p.id() + PackFiles.PACK);
      bytes += p.channel().size();
      List<PackIndexFormat.Entry> entries;
      boolean framed;
      try {
        PackIndexFormat.Parsed parsed =
            PackFiles.readIndex(store.packsFolder().resolve(p.id() + PackFiles.INDEX));
        entries = parsed.entries();
        framed = parsed.framed();
      } catch (FormatException | NoSuchFileException e) {
        entries = PackScanner.scan(p.channel()).entries(); // served from its record headers
        framed = true;
      }
      for (PackIndexFormat.Entry e : entries) {
        objects++;
        String why = null;
        if (e.offset() + e.length() > p.channel().size()) {
          why = "it ends past the end of the pack"; // reported as a short pack already
        } else if (framed) {
          why = recordMismatch(p, e);
        }
        if (why == null) {
          why = contentMismatch(store, p, e);
        }
        if (why == null) {
          good.add(e.hash());
          continue;
        }
        bad.add(e.hash());
        damaged.computeIfAbsent(p.id(), k -> new HashSet<>()).add(e.hash());
        if (!why.equals("it ends past the end of the pack")) {
          problems.add(
              new StoreProblem(
                  StoreProblem.Kind.OBJECT_DAMAGED,
                  packFile,
                  "content " + e.hash().hex() + " at offset " + e.offset() + ": " + why));
        }
      }
    }
    Set<ContentHash> lost = new HashSet<>(bad);
    lost.removeAll(good);
    return new Result(problems, damaged, lost, packs.size(), objects, bytes);
  }

  /** Why the record header before {@code e} disagrees with it, or null if it agrees. */
  private static String recordMismatch(Pack p, PackIndexFormat.Entry e) throws IOException {
    int size = PackFormat.recordLength(e.isDelta());
    long at = e.offset() - size;
    if (at < PackFormat.HEADER) {
      return "no room for its record header before offset " + e.offset();
    }
    byte[] header = new byte[size];
    int n = PackScanner.readAt(p.channel(), at, header, size);
    try {
      PackIndexFormat.Entry record = PackFormat.readRecord(header, n, at, p.channel().size());
      return record.equals(e) ? null : "its record header says " + record + ", its index " + e;
    } catch (CorruptDataException ex) {
      return ex.getMessage();
    }
  }

  /** Why the stored bytes of {@code e} are not its content, or null if they are. */
  private static String contentMismatch(PackContentStore store, Pack p, PackIndexFormat.Entry e)
      throws IOException {
    ObjectLocation here = ObjectLocation.of(p.channel(), e, p.id());
    try {
      if (e.isDelta()) {
        DeltaChains.materialize(h -> h.equals(e.hash()) ? here : store.location(h), e.hash());
        return null;
      }
      MessageDigest md = ContentHash.newDigest();
      try (InputStream in =
          new RegionObject(e.hash(), p.channel(), e.offset(), e.length()).stream()) {
        byte[] buf = new byte[64 * 1024];
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
        }
      }
      return ContentHash.finish(md).equals(e.hash()) ? null : "its stored bytes hash differently";
    } catch (CorruptDataException | EOFException | NoSuchFileException ex) {
      return ex.getMessage();
    }
  }
}
