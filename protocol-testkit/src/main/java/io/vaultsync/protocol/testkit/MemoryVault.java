package io.vaultsync.protocol.testkit;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import io.vaultsync.protocol.Limits;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SnapshotInfo;
import io.vaultsync.protocol.VaultInfo;
import io.vaultsync.protocol.VaultRoot;
import io.vaultsync.protocol.rules.VaultHead;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * One vault of {@link InProcessVaultTransport}, in memory: its content by hash (every version
 * stays), its head by path, its ledger after the compacted horizon, its whole version history
 * (which compaction keeps), its snapshots and the content it lost. Answers what a vault's state
 * answers; the transport checks the arguments, applies the commit rules and publishes the changes.
 * Not thread-safe: the transport's lock guards it.
 */
final class MemoryVault {
  private record Snapshot(SnapshotInfo info, List<RemoteEntry> entries) {}

  private final String name;
  private final Map<ContentHash, byte[]> content = new HashMap<>();
  private final TreeMap<NotePath, RemoteEntry> head = new TreeMap<>();

  /** The {@link Change.Op#MOVE_FOLDER} change of each folder move, by its first seq. */
  private final TreeMap<Long, Change> folderMoves = new TreeMap<>();

  /** Changes after {@link #horizon}, in seq order. */
  private final List<Change> ledger = new ArrayList<>();

  /** Every change, in seq order: the version history. */
  private final List<Change> history = new ArrayList<>();

  private final TreeMap<Long, Snapshot> snapshots = new TreeMap<>();

  /** Content this vault lost and wants back from devices. */
  private final Set<ContentHash> wanted = new LinkedHashSet<>();

  private long horizon;
  private Instant lastChange;

  MemoryVault(String name) {
    this.name = name;
  }

  /** The compacted horizon: the ledger holds the changes after it (0: never compacted). */
  long horizon() {
    return horizon;
  }

  long headSeq() {
    return horizon + ledger.size();
  }

  VaultHead head() {
    return VaultHead.of(head);
  }

  int files() {
    return head.size();
  }

  VaultInfo info() {
    long bytes = head.values().stream().mapToLong(RemoteEntry::size).sum();
    return new VaultInfo(name, head.size(), bytes, headSeq(), lastChange);
  }

  RemoteManifest manifest() {
    return new RemoteManifest(headSeq(), new ArrayList<>(head.values()));
  }

  VaultRoot root() {
    return VaultRoot.of(manifest());
  }

  // ---- content ----

  /** The content stored under {@code hash}, or null. */
  byte[] content(ContentHash hash) {
    return hash == null ? null : content.get(hash);
  }

  /** Stores {@code bytes} under {@code hash}; content stored again is no longer wanted. */
  void store(ContentHash hash, byte[] bytes) {
    content.putIfAbsent(hash, bytes);
    wanted.remove(hash);
  }

  /** Forgets the content {@code hash} and wants it back. */
  void lose(ContentHash hash) {
    content.remove(hash);
    wanted.add(hash);
  }

  boolean wants(ContentHash hash) {
    return wanted.contains(hash);
  }

  /** The lost content the head names, for a change page. */
  private List<ContentHash> wantedAtHead() {
    if (wanted.isEmpty()) {
      return List.of();
    }
    Set<ContentHash> atHead = new LinkedHashSet<>();
    for (RemoteEntry e : head.values()) {
      if (wanted.contains(e.hash()) && atHead.size() < Limits.WANTED_PER_PAGE) {
        atHead.add(e.hash());
      }
    }
    return List.copyOf(atHead);
  }

  /**
   * Refuses {@code adding} (new contents by hash) if it would take the vault past {@code quota}.
   * The usage is the total size of the distinct contents the history names, each once at its full
   * size (as on the vaultsync server); content the vault keeps already adds nothing.
   */
  void checkQuota(Map<ContentHash, byte[]> adding, long quota) throws QuotaExceededException {
    Map<ContentHash, Long> kept = new HashMap<>();
    for (Change c : history) {
      kept.putIfAbsent(c.hash(), c.size());
    }
    long usage = kept.values().stream().mapToLong(Long::longValue).sum();
    long add = 0;
    for (Map.Entry<ContentHash, byte[]> e : adding.entrySet()) {
      add += kept.containsKey(e.getKey()) ? 0 : e.getValue().length;
    }
    if (add > 0 && usage + add > quota) {
      throw new QuotaExceededException(name, usage, add, quota);
    }
  }

  // ---- the ledger ----

  /** Records {@code c}, the next change: ledger, history and head. */
  void record(Change c) {
    if (c.seq() != headSeq() + 1) {
      throw new IllegalArgumentException(
          "change of seq " + c.seq() + " recorded at head seq " + headSeq());
    }
    ledger.add(c);
    history.add(c);
    apply(head, c);
    lastChange = c.time();
  }

  /** Applies {@code c} to {@code files}, the files of a vault by path. */
  private static void apply(Map<NotePath, RemoteEntry> files, Change c) {
    if (c.op() == Change.Op.MOVE) {
      files.remove(c.previousPath());
    }
    if (c.op() == Change.Op.DELETE) {
      files.remove(c.path());
    } else {
      files.put(c.path(), new RemoteEntry(c.path(), c.hash(), c.size(), c.seq()));
    }
  }

  /** Keeps {@code move} (its per-file moves are recorded) for readers of folder moves. */
  void recordFolderMove(Change move) {
    folderMoves.put(move.firstSeq(), move);
  }

  /** See {@link io.vaultsync.protocol.FolderMoves.Lookup}. */
  List<Change> folderMoves(long afterSeq, long atMost) {
    return afterSeq >= atMost
        ? List.of()
        : List.copyOf(folderMoves.subMap(afterSeq, false, atMost, true).values());
  }

  ChangePage changesSince(long afterSeq, int limit) {
    if (afterSeq < horizon) {
      return new ChangePage(List.of(), headSeq(), horizon, wantedAtHead());
    }
    int from = (int) Math.min(afterSeq - horizon, ledger.size());
    int to = (int) Math.min(ledger.size(), (long) from + limit);
    return new ChangePage(
        List.copyOf(ledger.subList(from, to)), headSeq(), horizon, wantedAtHead());
  }

  // ---- history ----

  List<Change> history(NotePath path, long beforeSeq, int limit) {
    List<Change> out = new ArrayList<>();
    for (int i = history.size() - 1; i >= 0 && out.size() < limit; i--) {
      Change c = history.get(i);
      if (c.seq() < beforeSeq
          && (path == null || path.equals(c.path()) || path.equals(c.previousPath()))) {
        out.add(c);
      }
    }
    return out;
  }

  long seqAt(Instant time) {
    long seq = 0;
    for (Change c : history) {
      if (!c.time().isAfter(time)) {
        seq = c.seq();
      }
    }
    return seq;
  }

  RemoteManifest manifestAt(long seq) {
    TreeMap<NotePath, RemoteEntry> files = new TreeMap<>();
    for (Change c : history) {
      if (c.seq() > seq) {
        break;
      }
      apply(files, c);
    }
    return new RemoteManifest(Math.min(seq, headSeq()), new ArrayList<>(files.values()));
  }

  // ---- snapshots and compaction ----

  SnapshotInfo snapshot(boolean createNow, Instant now) throws NotFoundException {
    Map.Entry<Long, Snapshot> newest = snapshots.lastEntry();
    if (newest != null && (!createNow || newest.getKey() == headSeq())) {
      return newest.getValue().info();
    }
    if (!createNow) {
      throw new NotFoundException("vault \"" + name + "\" keeps no snapshot yet");
    }
    List<RemoteEntry> entries = new ArrayList<>(head.values());
    VaultRoot root = VaultRoot.of(new RemoteManifest(headSeq(), entries));
    SnapshotInfo info = new SnapshotInfo(root.seq(), root.files(), root.bytes(), root.root(), now);
    snapshots.put(info.seq(), new Snapshot(info, entries));
    return info;
  }

  RemoteManifest snapshotManifest(long seq) throws NotFoundException {
    Snapshot s = snapshots.get(seq);
    if (s == null) {
      throw new NotFoundException("vault \"" + name + "\" keeps no snapshot at seq " + seq);
    }
    return new RemoteManifest(seq, s.entries());
  }

  /** The oldest snapshot's seq, or -1 when there is none. */
  long oldestSnapshot() {
    return snapshots.isEmpty() ? -1 : snapshots.firstKey();
  }

  /**
   * Drops the ledger up to {@code upToSeq}, which must not pass the oldest snapshot kept.
   *
   * @return the horizon afterwards
   * @throws IllegalArgumentException if {@code upToSeq} passes the oldest snapshot, or there is
   *     none
   */
  long compact(long upToSeq) {
    if (snapshots.isEmpty() || upToSeq > snapshots.firstKey()) {
      throw new IllegalArgumentException(
          "compacting vault \""
              + name
              + "\" up to seq "
              + upToSeq
              + "; expected at most the oldest snapshot's seq "
              + (snapshots.isEmpty() ? "(there is none)" : snapshots.firstKey()));
    }
    if (upToSeq > horizon) {
      ledger.subList(0, (int) (upToSeq - horizon)).clear();
      horizon = upToSeq;
    }
    return horizon;
  }
}
