package io.vaultsync.model.tree;

import io.vaultsync.core.hash.ContentHash;
import java.util.Objects;

/**
 * The Merkle root of a vault's (path, content hash) entries, as {@link MerkleTree} defines it
 * (docs/FORMAT.md, section 8). Two manifests have the same root exactly when they list the same
 * paths with the same contents (sizes and mtimes do not count).
 *
 * @param digest the 32-byte SHA-256 value of the root node
 */
public record MerkleRoot(ContentHash digest) {
  public MerkleRoot {
    Objects.requireNonNull(digest, "digest");
  }

  /** The root from its 32 bytes. */
  public static MerkleRoot of(byte[] digest) {
    return new MerkleRoot(ContentHash.of(digest));
  }

  /** Parses 64 hex digits. */
  public static MerkleRoot parse(String hex) {
    return new MerkleRoot(ContentHash.parse(hex));
  }

  /** A copy of the 32 bytes. */
  public byte[] toBytes() {
    return digest.toBytes();
  }

  /** Lower-case hex, 64 digits. */
  public String hex() {
    return digest.hex();
  }

  @Override
  public String toString() {
    return "merkle:" + digest.hex();
  }
}
