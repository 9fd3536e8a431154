package io.vaultsync.client.sync;

import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.protocol.VaultRoot;
import java.util.List;
import java.util.Objects;

/**
 * What {@code vaultsync verify} found.
 *
 * @param server the server's head: seq, file count and Merkle root
 * @param localRoot the Merkle root of the folder as scanned
 * @param localFiles files in the folder
 * @param differences every differing path in path order; empty exactly when the roots are equal
 * @param notSynced files left out of the comparison, each named: what this folder holds but no sync
 *     takes (links, special files, invalid or clashing names, unreadable folders) and what the
 *     server holds but no client can (a file below a file, a client-internal name)
 */
public record VerifyReport(
    VaultRoot server,
    MerkleRoot localRoot,
    long localFiles,
    List<Difference> differences,
    List<NotSynced> notSynced) {
  public VerifyReport {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(localRoot, "localRoot");
    differences = List.copyOf(differences);
    notSynced = List.copyOf(notSynced);
  }

  /**
   * Whether the folder holds exactly what the server's head holds and no file is left out: a folder
   * with a file no sync takes is never "in sync", even when the roots agree.
   */
  public boolean inSync() {
    return server.root().equals(localRoot) && notSynced.isEmpty();
  }

  /** Whether the Merkle roots agree (the files synced are the same on both sides). */
  public boolean sameRoot() {
    return server.root().equals(localRoot);
  }
}
