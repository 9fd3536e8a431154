package io.vaultsync.server.http.web;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.RemoteEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What one folder of a vault shows: its subfolders (each with how many files it holds at any depth,
 * their total size and the latest change among them), then its files, both in name order.
 *
 * @param folder the folder (null: the vault's root)
 */
record FolderListing(NotePath folder, List<Folder> folders, List<RemoteEntry> files) {
  FolderListing {
    folders = List.copyOf(folders);
    files = List.copyOf(files);
  }

  /** A subfolder: its path, files below it, their bytes, the highest seq among them. */
  record Folder(NotePath path, long files, long bytes, long lastSeq) {
    Folder {
      Objects.requireNonNull(path, "path");
    }
  }

  /** Whether the folder holds nothing (a folder exists only while a file below it does). */
  boolean isEmpty() {
    return folders.isEmpty() && files.isEmpty();
  }

  /** The listing of {@code folder} (null: the root) within {@code entries} (any order). */
  static FolderListing of(NotePath folder, List<RemoteEntry> entries) {
    int depth = folder == null ? 0 : folder.segments().size();
    Map<String, long[]> folders = new TreeMap<>();
    List<RemoteEntry> files = new ArrayList<>();
    for (RemoteEntry e : entries) {
      if (folder != null && (!e.path().startsWith(folder) || e.path().equals(folder))) {
        continue;
      }
      if (TreeShape.internalName(e.path()).isPresent()) {
        continue; // .vaultsync/..., .vstmp-*: never shown as a vault's file (the server logs them)
      }
      List<String> segments = e.path().segments();
      if (segments.size() == depth + 1) {
        files.add(e);
      } else {
        long[] agg = folders.computeIfAbsent(segments.get(depth), k -> new long[3]);
        agg[0]++;
        agg[1] += e.size();
        agg[2] = Math.max(agg[2], e.seq());
      }
    }
    files.sort((a, b) -> a.path().compareTo(b.path()));
    List<Folder> subfolders = new ArrayList<>(folders.size());
    for (Map.Entry<String, long[]> f : folders.entrySet()) {
      NotePath p = folder == null ? NotePath.of(f.getKey()) : folder.resolve(f.getKey());
      subfolders.add(new Folder(p, f.getValue()[0], f.getValue()[1], f.getValue()[2]));
    }
    return new FolderListing(folder, subfolders, files);
  }
}
