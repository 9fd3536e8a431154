package io.vaultsync.client.sync;

import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * A commit batch with the per-file moves of a folder rename sent as one {@link
 * Mutation.MoveFolder}: moves whose source and destination differ only in the folder above a common
 * tail ({@code Old/x/n.md -> New/x/n.md}: folder {@code Old} to {@code New}) are grouped, at least
 * {@link #MIN_FILES} per folder. The server moves the folder only if these are all its files (count
 * and Merkle root), so a partial rename (a file of the folder deleted, edited or new on the server)
 * comes back stale and its moves are sent again one by one ({@link #retry}); an applied one is
 * answered for each file as the per-file move it stands for.
 */
final class FolderMoveBatch {
  /** Fewer moves of one folder than this go per file (a folder move saves nothing there). */
  static final int MIN_FILES = 2;

  private record Folder(NotePath from, NotePath to) {}

  /** The mutations to send. */
  private final List<Mutation> wire = new ArrayList<>();

  /** Per wire mutation, the indexes of the batch's mutations it stands for. */
  private final List<List<Integer>> members = new ArrayList<>();

  private final List<Mutation> batch;

  /** The size of the version a move's source holds (for the outcomes). */
  private final ToLongFunction<NotePath> sizes;

  private FolderMoveBatch(List<Mutation> batch, ToLongFunction<NotePath> sizes) {
    this.batch = batch;
    this.sizes = sizes;
  }

  /**
   * {@code batch} with its folder renames grouped; {@code sizes} tells the size of the version at a
   * move's source.
   */
  static FolderMoveBatch of(List<Mutation> batch, ToLongFunction<NotePath> sizes) {
    FolderMoveBatch out = new FolderMoveBatch(batch, sizes);
    Map<Folder, List<Integer>> groups = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      if (batch.get(i) instanceof Mutation.Move m) {
        Folder f = folderOf(m);
        if (f != null) {
          groups.computeIfAbsent(f, k -> new ArrayList<>()).add(i);
        }
      }
    }
    groups.values().removeIf(g -> g.size() < MIN_FILES);
    Map<Integer, Folder> first = new LinkedHashMap<>();
    java.util.Set<Integer> grouped = new java.util.HashSet<>();
    groups.forEach(
        (f, g) -> {
          first.put(g.get(0), f);
          grouped.addAll(g);
        });
    for (int i = 0; i < batch.size(); i++) {
      Folder f = first.get(i);
      if (f != null) {
        List<Integer> g = new ArrayList<>(groups.get(f));
        g.sort((a, b) -> batch.get(a).path().compareTo(batch.get(b).path()));
        MerkleTree tree = new MerkleTree();
        for (int j : g) {
          Mutation.Move m = (Mutation.Move) batch.get(j);
          tree.add(m.path(), m.expected());
        }
        out.wire.add(new Mutation.MoveFolder(f.from(), f.to(), g.size(), tree.root()));
        out.members.add(g);
      } else if (!grouped.contains(i)) {
        out.wire.add(batch.get(i));
        out.members.add(List.of(i));
      }
    }
    return out;
  }

  /**
   * The folder a move renames: source {@code F/tail} and destination {@code T/tail} with the
   * longest common tail of segments; null when the move is not below a folder at both ends.
   */
  static Folder folderOf(Mutation.Move m) {
    List<String> a = m.path().segments();
    List<String> b = m.to().segments();
    int common = 0;
    while (common < a.size() - 1
        && common < b.size() - 1
        && a.get(a.size() - 1 - common).equals(b.get(b.size() - 1 - common))) {
      common++;
    }
    if (common == 0 || common == a.size() || common == b.size()) {
      return null; // the file's own name changed, or an end is at the root
    }
    NotePath from = NotePath.of(String.join("/", a.subList(0, a.size() - common)));
    NotePath to = NotePath.of(String.join("/", b.subList(0, b.size() - common)));
    if (from.equals(to) || to.startsWith(from) || from.startsWith(to)) {
      return null;
    }
    return new Folder(from, to);
  }

  /** Whether any folder move was made (else the batch goes as it is). */
  boolean grouped() {
    return wire.size() < batch.size();
  }

  List<Mutation> mutations() {
    return wire;
  }

  /**
   * The outcome of each of the batch's mutations from the server's {@code answer} to {@link
   * #mutations()}: a folder move applied is one applied move per file (seqs in path order, as the
   * server numbers them); not applied, its files' outcomes are null, to be sent again ({@link
   * #retry}).
   */
  List<Outcome> outcomes(List<Outcome> answer) {
    Outcome[] out = new Outcome[batch.size()];
    for (int w = 0; w < wire.size(); w++) {
      List<Integer> g = members.get(w);
      Outcome o = answer.get(w);
      if (!(wire.get(w) instanceof Mutation.MoveFolder)) {
        out[g.get(0)] = o;
      } else if (o instanceof Outcome.Applied a && a.change().op() == Change.Op.MOVE_FOLDER) {
        Change c = a.change();
        long seq = c.firstSeq();
        for (int i : g) {
          Mutation.Move m = (Mutation.Move) batch.get(i);
          out[i] =
              new Outcome.Applied(
                  new Change(
                      seq++,
                      Change.Op.MOVE,
                      m.to(),
                      m.path(),
                      m.expected(),
                      sizes.applyAsLong(m.path()),
                      c.device(),
                      c.time()));
        }
      }
    }
    return java.util.Arrays.asList(out);
  }

  /** The batch's mutations whose outcome {@code outcomes} left null, in batch order. */
  static List<Integer> retry(List<Outcome> outcomes) {
    List<Integer> out = new ArrayList<>();
    for (int i = 0; i < outcomes.size(); i++) {
      if (outcomes.get(i) == null) {
        out.add(i);
      }
    }
    return out;
  }
}
