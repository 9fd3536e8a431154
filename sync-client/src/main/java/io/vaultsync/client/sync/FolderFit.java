package io.vaultsync.client.sync;

import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import java.util.NavigableMap;

/**
 * Whether this folder can hold a file the server has and the folder has not: a folder on the way
 * may be a file (here, or on the server too), or the path a folder of files here. Pure, no I/O.
 */
final class FolderFit {
  private FolderFit() {}

  /**
   * Why the server's file at {@code path}, which this folder does not have, cannot be written here,
   * as a skip; null if it can. A folder on the way is a file here, or on the server too (a tree the
   * server stored before it refused such trees: the file is kept, what is below it is named), or
   * {@code path} is a folder of files here.
   */
  static SyncAction.Skip cannotHold(
      NotePath path, RemoteView remote, NavigableMap<NotePath, ManifestEntry> local) {
    for (NotePath a = path.parent().orElse(null); a != null; a = a.parent().orElse(null)) {
      if (remote.get(a) != null) {
        return new SyncAction.Skip(
            path,
            "the server holds both a file \""
                + a
                + "\" and this file below it, and no disk can hold both: rename or delete one of"
                + " them",
            NotSynced.Kind.SERVER,
            false);
      }
      if (local.containsKey(a)) {
        return new SyncAction.Skip(
            path,
            "\""
                + a
                + "\" is a file here, so the server's file below it cannot be written: rename one"
                + " of them",
            NotSynced.Kind.NAME,
            false);
      }
    }
    if (TreeShape.holdsUnder(local, path)) {
      return new SyncAction.Skip(
          path,
          "it is a folder of files here, so the server's file of that name cannot be written:"
              + " rename one of them",
          NotSynced.Kind.NAME,
          false);
    }
    return null;
  }
}
