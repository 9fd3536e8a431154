package io.vaultsync.client.sync;

import io.vaultsync.core.transport.VaultRoot;
import io.vaultsync.core.tree.MerkleRoot;
import java.util.List;
import java.util.Objects;

/**
 * What {@code vaultsync verify} found.
 *
 * @param server the server's head: seq, file count and Merkle root
 * @param localRoot the Merkle root of the folder as scanned
 * @param localFiles files in the folder
 * @param differences every differing path in path order; empty exactly when the roots are equal
 */
public record VerifyReport(
    VaultRoot server, MerkleRoot localRoot, long localFiles, List<Difference> differences) {
  public VerifyReport {
    Objects.requireNonNull(server, "server");
    Objects.requireNonNull(localRoot, "localRoot");
    differences = List.copyOf(differences);
  }

  /** Whether the folder holds exactly what the server's head holds. */
  public boolean inSync() {
    return server.root().equals(localRoot);
  }
}
