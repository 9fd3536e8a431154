package io.vaultsync.protocol.rules;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;

/**
 * A vault's head as {@link CommitRules} reads it: what file is at a path, and which paths lie below
 * a folder. Read-only; a server answers from its database (a query per call), the in-memory
 * transport from a sorted map ({@link #of}). Calls come from one commit, under the vault's lock.
 */
public interface VaultHead {
  /** The file at {@code path}, or null if there is none. */
  RemoteEntry file(NotePath path) throws IOException;

  /**
   * Up to {@code limit} head paths below the folder {@code folder} ({@code folder/...}) and after
   * {@code after} (null: from the first), in {@link NotePath} order.
   */
  List<NotePath> pathsUnder(NotePath folder, NotePath after, int limit) throws IOException;

  /**
   * Which of {@code paths} have a file below them: read at once for a batch's targets, so that a
   * first upload (all new paths) costs one read, not a read per file. This default asks {@link
   * #pathsUnder} for each.
   */
  default Set<NotePath> foldersAmong(Collection<NotePath> paths) throws IOException {
    Set<NotePath> out = new HashSet<>();
    for (NotePath p : paths) {
      if (!pathsUnder(p, null, 1).isEmpty()) {
        out.add(p);
      }
    }
    return out;
  }

  /** The head held in {@code head} (path to file, in {@link NotePath} order); not copied. */
  static VaultHead of(NavigableMap<NotePath, RemoteEntry> head) {
    Objects.requireNonNull(head, "head");
    return new VaultHead() {
      @Override
      public RemoteEntry file(NotePath path) {
        return head.get(path);
      }

      @Override
      public List<NotePath> pathsUnder(NotePath folder, NotePath after, int limit) {
        String name = folder.value();
        List<NotePath> out = new ArrayList<>();
        for (Map.Entry<NotePath, RemoteEntry> e :
            head.tailMap(after == null ? folder : after, false).entrySet()) {
          String k = e.getKey().value();
          if (out.size() >= limit || !k.startsWith(name)) {
            break;
          }
          char next = k.charAt(name.length());
          if (next == '/') {
            out.add(e.getKey());
          } else if (next > '/') {
            break; // past every path below the folder (NotePath order is UTF-8 byte order)
          }
        }
        return out;
      }
    };
  }
}
