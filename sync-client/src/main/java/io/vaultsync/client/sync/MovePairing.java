package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.delta.DeltaSink;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds local files that were moved and edited (a rename that also updated the note's links): pairs
 * each file that vanished from the folder (its plan step is a {@link SyncAction.DeleteRemote}) with
 * a new file (a {@link SyncAction.Upload} of a path neither the index nor the server knows) whose
 * content is close, so the planner can send a move plus a delta instead of a delete and a whole
 * upload. Equal content is already paired by hash ({@code TreeDiff}); this is for the rest.
 *
 * <p>"Close" is measured with what the index already has: the kept signature of the vanished file's
 * last synced version. A delta of the new file against it that copies at least half of the new
 * file's bytes makes a pair; among candidates a file with the same name (moved to another folder)
 * is preferred, then the same extension, then the larger share copied. The vanished file's content
 * is gone from the disk, so nothing else could be compared without asking the server.
 *
 * <p>Linux's file watcher reports a rename as a delete and a create, with no pairing, and the
 * cross-platform watcher library reports no renames at all; a one-shot sync sees only the result.
 * So similarity is the one mechanism, for every platform and for sync and watch alike.
 *
 * <p>The work is bounded: nothing happens unless both sets are non-empty; each new file is read
 * once, feeding the encoders of its candidates side by side; a new file is compared with at most
 * {@value #MAX_CANDIDATES_PER_FILE} vanished files (same name, then same extension, then the
 * closest sizes), at most {@value #MAX_PAIRS} pairs and {@value #MAX_ENCODED_BYTES} bytes of
 * encoding per sync, and files over {@value #MAX_FILE_BYTES} bytes are not paired. Notes shorter
 * than two signature blocks (512 bytes) rarely pair, since a block copies only whole; they travel
 * as a delete and a small upload.
 *
 * <p>A pairing is a hint, never a risk: the executor checks every file again before acting, and a
 * wrong pair would still leave every replica with exactly the files of the folder (a move plus the
 * new content), only with the history of the moved file continuing at the new path.
 */
final class MovePairing {
  /** Most (vanished, new) pairs compared per sync. */
  static final int MAX_PAIRS = 4096;

  /** Most vanished files one new file is compared with. */
  static final int MAX_CANDIDATES_PER_FILE = 64;

  /** Most bytes run through encoders per sync (each new file's size times its candidates). */
  static final long MAX_ENCODED_BYTES = 256L << 20;

  /** New files larger than this are not paired. */
  static final long MAX_FILE_BYTES = 16L << 20;

  private MovePairing() {}

  /**
   * The moved-and-edited pairs among {@code plan}'s steps: vanished files with a kept signature in
   * {@code index} and new files read through {@code files}. Files that cannot be read are left
   * unpaired (the executor names them if their upload fails too).
   */
  static MovePairs find(SyncPlan plan, LocalIndex index, SafeFiles files) throws IOException {
    List<IndexEntry> vanished = new ArrayList<>();
    List<SyncAction.Upload> added = new ArrayList<>();
    for (SyncAction a : plan.actions()) {
      if (a instanceof SyncAction.DeleteRemote d) {
        IndexEntry e = index.get(d.path());
        if (e != null && e.signature() != null && e.size() > 0) {
          vanished.add(e);
        }
      } else if (a instanceof SyncAction.Upload u
          && u.base() == null
          && index.get(u.path()) == null
          && plan.remote().get(u.path()) == null
          && u.local().size() > 0
          && u.local().size() <= MAX_FILE_BYTES) {
        added.add(u);
      }
    }
    if (vanished.isEmpty() || added.isEmpty()) {
      return MovePairs.NONE;
    }
    Map<NotePath, Signature> signatures = new HashMap<>();
    List<Match> matches = new ArrayList<>();
    int pairsLeft = MAX_PAIRS;
    long bytesLeft = MAX_ENCODED_BYTES;
    for (SyncAction.Upload u : added) {
      long size = u.local().size();
      int n =
          (int)
              Math.min(
                  Math.min(MAX_CANDIDATES_PER_FILE, pairsLeft),
                  Math.min(vanished.size(), bytesLeft / size));
      if (n <= 0) {
        break;
      }
      List<IndexEntry> candidates = candidates(u.path(), size, vanished, n);
      pairsLeft -= candidates.size();
      bytesLeft -= size * candidates.size();
      matches.addAll(compare(u, candidates, signatures, files));
    }
    matches.sort(
        Comparator.comparingInt(Match::rank)
            .thenComparing(Comparator.comparingDouble(Match::share).reversed())
            .thenComparing(Match::to)
            .thenComparing(Match::from));
    Map<NotePath, NotePath> pairs = new HashMap<>();
    Set<NotePath> used = new HashSet<>();
    for (Match m : matches) {
      if (!used.contains(m.to()) && !used.contains(m.from())) {
        pairs.put(m.to(), m.from());
        used.add(m.to());
        used.add(m.from());
      }
    }
    return new MovePairs(pairs);
  }

  /** A qualifying pair: how alike the names are (0 best) and the share of the new file copied. */
  private record Match(NotePath to, NotePath from, int rank, double share) {}

  /** 0: same file name; 1: same extension; 2: otherwise. */
  static int rank(NotePath a, NotePath b) {
    if (a.name().equals(b.name())) {
      return 0;
    }
    return extension(a.name()).equals(extension(b.name())) ? 1 : 2;
  }

  private static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot <= 0 ? "" : name.substring(dot);
  }

  /** The {@code n} vanished files most likely to be {@code to}'s origin: by name, then size. */
  private static List<IndexEntry> candidates(
      NotePath to, long size, List<IndexEntry> vanished, int n) {
    if (vanished.size() <= n) {
      return vanished;
    }
    List<IndexEntry> sorted = new ArrayList<>(vanished);
    sorted.sort(
        Comparator.comparingInt((IndexEntry e) -> rank(e.path(), to))
            .thenComparingLong(e -> Math.abs(e.size() - size))
            .thenComparing(IndexEntry::path));
    return sorted.subList(0, n);
  }

  /**
   * Reads {@code u}'s file once, encoding it against each candidate's kept signature side by side;
   * the candidates whose delta copies at least half of the file.
   */
  private static List<Match> compare(
      SyncAction.Upload u,
      List<IndexEntry> candidates,
      Map<NotePath, Signature> signatures,
      SafeFiles files) {
    List<IndexEntry> kept = new ArrayList<>(candidates.size());
    List<DeltaEncoder> encoders = new ArrayList<>(candidates.size());
    List<CopyCounter> counters = new ArrayList<>(candidates.size());
    for (IndexEntry e : candidates) {
      Signature sig = signature(e, signatures);
      if (sig == null) {
        continue;
      }
      CopyCounter counter = new CopyCounter();
      kept.add(e);
      counters.add(counter);
      encoders.add(new DeltaEncoder(sig, counter));
    }
    if (kept.isEmpty()) {
      return List.of();
    }
    long read = 0;
    try (InputStream in = SafeFiles.open(files.file(u.path(), false))) {
      byte[] buf = new byte[64 * 1024];
      for (int k; (k = in.read(buf)) > 0; ) {
        read += k;
        if (read > MAX_FILE_BYTES) {
          return List.of(); // grew since the scan: leave it to the upload
        }
        for (DeltaEncoder enc : encoders) {
          enc.update(buf, 0, k);
        }
      }
      for (DeltaEncoder enc : encoders) {
        enc.finish();
      }
    } catch (IOException | RuntimeException e) {
      return List.of(); // unreadable or changed: unpaired; the upload names a real problem
    }
    List<Match> out = new ArrayList<>();
    for (int i = 0; i < kept.size(); i++) {
      long copied = counters.get(i).copied;
      if (read > 0 && copied * 2 >= read) {
        NotePath from = kept.get(i).path();
        out.add(new Match(u.path(), from, rank(from, u.path()), (double) copied / read));
      }
    }
    return out;
  }

  /** The parsed kept signature of {@code e}, once per sync; null if it cannot be parsed. */
  private static Signature signature(IndexEntry e, Map<NotePath, Signature> cache) {
    if (cache.containsKey(e.path())) {
      return cache.get(e.path());
    }
    Signature sig;
    try {
      sig = e.signature().signature();
    } catch (IOException | RuntimeException bad) {
      sig = null; // a damaged kept signature: no pairing (the upload does not need it)
    }
    cache.put(e.path(), sig);
    return sig;
  }

  /** Counts the bytes a delta copies from its basis; ignores the rest. */
  private static final class CopyCounter implements DeltaSink {
    long copied;

    @Override
    public void copy(long offset, long length) {
      copied += length;
    }

    @Override
    public void literal(byte[] data, int offset, int length) {}

    @Override
    public void end(long targetLength, ContentHash targetHash) {}
  }
}
