package io.vaultsync.protocol;

import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.MerkleTree;
import java.util.Objects;

/**
 * What a vault holds at one sequence number, in 32 bytes: for comparing a whole folder with the
 * server without listing it ({@code vaultsync verify}).
 *
 * @param seq the sequence number the root describes (the head when it was read)
 * @param files how many files
 * @param bytes their total size
 * @param root the Merkle root over the (path, hash) entries (docs/FORMAT.md section 8)
 */
public record VaultRoot(long seq, long files, long bytes, MerkleRoot root) {
  public VaultRoot {
    Objects.requireNonNull(root, "root");
    if (seq < 0 || files < 0 || bytes < 0) {
      throw new IllegalArgumentException(
          "vault root at seq "
              + seq
              + " of "
              + files
              + " files, "
              + bytes
              + " bytes; expected >= 0");
    }
  }

  /**
   * The root of a manifest's entries.
   *
   * @throws IllegalArgumentException if its entries are not in strictly increasing path order
   */
  public static VaultRoot of(RemoteManifest manifest) {
    MerkleTree tree = new MerkleTree();
    long bytes = 0;
    for (RemoteEntry e : manifest.entries()) {
      tree.add(e.path(), e.hash());
      bytes += e.size();
    }
    return new VaultRoot(manifest.headSeq(), manifest.entries().size(), bytes, tree.root());
  }
}
