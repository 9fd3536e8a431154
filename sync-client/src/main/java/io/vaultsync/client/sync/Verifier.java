package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.client.state.StateFolder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.ignore.IgnoreRules;
import io.vaultsync.model.tree.IllegalNotePathException;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.MerkleTree;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.RejectedFile;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.protocol.SyncProtocol;
import io.vaultsync.protocol.VaultRoot;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code vaultsync verify}: compares a folder with its server's head by Merkle root (docs/FORMAT.md
 * section 8). The folder is scanned with the index as the previous manifest, so only files whose
 * size or mtime changed are hashed; the server answers with 32 bytes. Only when the roots differ is
 * the manifest fetched, to name each differing path and say whether it is a pending local change or
 * the client is behind. Changes nothing: no lock, no index write.
 *
 * <p>It never says "in sync" while a file is left out: what the scan could not take (links, special
 * files, invalid or clashing names, unreadable folders; not files the ignore rules leave out by
 * choice) and, when the roots differ, what the server's head holds that no client can hold ({@link
 * TreeShape#clashes}) are named as not synced.
 */
public final class Verifier {
  private final SyncProtocol transport;

  public Verifier(SyncProtocol transport) {
    this.transport = Objects.requireNonNull(transport, "transport");
  }

  /** Verifies {@code folder} against its vault. */
  public VerifyReport verify(Path folder) throws IOException {
    StateFolder state = StateFolder.of(folder);
    String vault = state.config().vault();
    LocalIndex index = state.readIndex();
    Path root = folder.toRealPath();
    ScanResult scan = LocalScan.scan(root, index.manifest(), false);
    Manifest local = scan.manifest();
    List<NotSynced> left = leftOut(scan, IgnoreRules.load(root));
    MerkleRoot localRoot = MerkleTree.rootOf(local);
    VaultRoot server = transport.root(vault);
    if (server.root().equals(localRoot)) {
      return new VerifyReport(server, localRoot, local.size(), List.of(), left);
    }
    RemoteManifest manifest = transport.manifest(vault);
    List<NotePath> head = new ArrayList<>(manifest.entries().size());
    manifest.entries().forEach(e -> head.add(e.path()));
    for (TreeShape.Clash c : TreeShape.clashes(head)) {
      left.add(new NotSynced(c.path().value(), NotSynced.Kind.SERVER, c.reason()));
    }
    // The head may have moved since root(): report against the manifest actually compared.
    return new VerifyReport(
        VaultRoot.of(manifest), localRoot, local.size(), differences(index, local, manifest), left);
  }

  /** The files the scan could not take, but those the ignore rules leave out by choice. */
  private static List<NotSynced> leftOut(ScanResult scan, IgnoreRules rules) {
    List<NotSynced> out = new ArrayList<>();
    for (RejectedFile r : scan.rejected()) {
      try {
        if (rules.excludes(NotePath.of(r.name()), false)) {
          continue;
        }
      } catch (IllegalNotePathException invalid) {
        // Named below: its name is why.
      }
      out.add(new NotSynced(r.name(), NotSynced.Kind.NAME, r.reason()));
    }
    return out;
  }

  /** Every path where {@code local} and {@code remote} differ, judged against the index. */
  static List<Difference> differences(LocalIndex index, Manifest local, RemoteManifest remote) {
    Map<NotePath, ContentHash> server = new TreeMap<>();
    for (RemoteEntry e : remote.entries()) {
      server.put(e.path(), e.hash());
    }
    TreeSet<NotePath> paths = new TreeSet<>(server.keySet());
    paths.addAll(local.asMap().keySet());
    List<Difference> out = new ArrayList<>();
    for (NotePath p : paths) {
      ManifestEntry l = local.asMap().get(p);
      ContentHash here = l == null ? null : l.hash();
      ContentHash there = server.get(p);
      if (Objects.equals(here, there)) {
        continue;
      }
      IndexEntry b = index.get(p);
      ContentHash base = b == null ? null : b.hash();
      Difference.Where where =
          here == null
              ? Difference.Where.ONLY_ON_SERVER
              : there == null ? Difference.Where.ONLY_HERE : Difference.Where.DIFFERENT_CONTENT;
      Difference.Cause cause =
          Objects.equals(there, base)
              ? Difference.Cause.PENDING_LOCAL_CHANGE
              : Objects.equals(here, base)
                  ? Difference.Cause.CLIENT_BEHIND
                  : Difference.Cause.BOTH_CHANGED;
      out.add(new Difference(p, where, cause));
    }
    return out;
  }
}
