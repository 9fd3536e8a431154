package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.ManifestScanner;
import io.vaultsync.protocol.RemoteManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Sorted (path, hash) of a folder or of a server's manifest: what the sync tests compare to tell
 * that two replicas and their server hold the same files.
 */
public final class PathHashes {
  private PathHashes() {}

  /** Sorted (path, hash) of {@code manifest}. */
  public static Map<String, ContentHash> of(RemoteManifest manifest) {
    Map<String, ContentHash> out = new TreeMap<>();
    manifest.entries().forEach(e -> out.put(e.path().value(), e.hash()));
    return out;
  }

  /** Sorted (path, hash) of the folder {@code dir} as a scan sees it (no state folder). */
  public static Map<String, ContentHash> ofFolder(Path dir) throws IOException {
    Map<String, ContentHash> out = new TreeMap<>();
    new ManifestScanner()
        .scan(dir)
        .manifest()
        .entries()
        .forEach(e -> out.put(e.path().value(), e.hash()));
    return out;
  }
}
