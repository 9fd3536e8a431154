package io.vaultsync.model.tree;

import io.vaultsync.core.hash.ContentHash;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Computes the {@link MerkleRoot} over a manifest's (path, SHA-256) entries in {@link NotePath}
 * order, incrementally: {@link #add} each entry, then {@link #root}. Specified in docs/FORMAT.md,
 * section 8:
 *
 * <pre>
 *   leaf  = SHA-256(0x00 ‖ varint(UTF-8 length of path) ‖ UTF-8 path ‖ 32-byte content hash)
 *   node  = SHA-256(0x01 ‖ left ‖ right)
 *   empty = SHA-256()   (no input bytes: e3b0c442…b855)
 * </pre>
 *
 * <p>The leaves are paired left to right, level by level; the last node of a level with an odd
 * count is promoted unchanged to the next level. (That is the shape RFC 6962 gives a tree of any
 * size: the left subtree is always the largest power of two.) The 0x00/0x01 prefixes keep a leaf
 * from ever being read as a node. Only the root is required; leaves are computed one by one and
 * combined on a stack of at most 64 subtree hashes, so memory does not grow with the vault.
 *
 * <p>Not thread-safe (a builder). Paths must come in strictly increasing {@link NotePath} order,
 * which is how {@link Manifest}, the server's head and the ledger store list them; an out-of-order
 * or repeated path is refused, so two sides can never compute different roots for one set.
 */
public final class MerkleTree {
  private static final byte LEAF = 0x00;
  private static final byte NODE = 0x01;

  private final MessageDigest md = ContentHash.newDigest();

  /** Complete subtrees, largest (leftmost) first, with their leaf counts (powers of two). */
  private final List<byte[]> stack = new ArrayList<>();

  private final List<Long> sizes = new ArrayList<>();
  private NotePath last;
  private long count;

  /** The root of {@code manifest}'s entries. */
  public static MerkleRoot rootOf(Manifest manifest) {
    MerkleTree t = new MerkleTree();
    for (ManifestEntry e : manifest.entries()) {
      t.add(e.path(), e.hash());
    }
    return t.root();
  }

  /** The root of no entries: SHA-256 of no bytes. */
  public static MerkleRoot emptyRoot() {
    return new MerkleRoot(ContentHash.digestOf(new byte[0]));
  }

  /**
   * Adds the next entry.
   *
   * @throws IllegalArgumentException if {@code path} does not sort after the previous one
   */
  public MerkleTree add(NotePath path, ContentHash hash) {
    if (last != null && last.compareTo(path) >= 0) {
      throw new IllegalArgumentException(
          "Merkle entry \""
              + path
              + "\" after \""
              + last
              + "\"; expected paths in strictly increasing order");
    }
    last = path;
    count++;
    byte[] node = leafHash(path, hash);
    long size = 1;
    // Merge while the top subtree has the same number of leaves: a binary counter.
    while (!sizes.isEmpty() && sizes.get(sizes.size() - 1) == size) {
      byte[] left = stack.remove(stack.size() - 1);
      sizes.remove(sizes.size() - 1);
      node = nodeHash(left, node);
      size *= 2;
    }
    stack.add(node);
    sizes.add(size);
    return this;
  }

  /** Entries added so far. */
  public long count() {
    return count;
  }

  /** The root of the entries added so far (the builder stays usable). */
  public MerkleRoot root() {
    if (stack.isEmpty()) {
      return emptyRoot();
    }
    byte[] acc = stack.get(stack.size() - 1);
    for (int i = stack.size() - 2; i >= 0; i--) {
      acc = nodeHash(stack.get(i), acc);
    }
    return MerkleRoot.of(acc);
  }

  /** The leaf hash of one entry. */
  public static ContentHash leaf(NotePath path, ContentHash hash) {
    return ContentHash.of(new MerkleTree().leafHash(path, hash));
  }

  /** The hash of an inner node over two child hashes. */
  public static ContentHash node(ContentHash left, ContentHash right) {
    return ContentHash.of(new MerkleTree().nodeHash(left.toBytes(), right.toBytes()));
  }

  private byte[] leafHash(NotePath path, ContentHash hash) {
    byte[] utf8 = path.value().getBytes(StandardCharsets.UTF_8);
    md.update(LEAF);
    int n = utf8.length;
    while (n >= 0x80) {
      md.update((byte) ((n & 0x7f) | 0x80));
      n >>>= 7;
    }
    md.update((byte) n);
    md.update(utf8);
    md.update(hash.toBytes());
    return md.digest();
  }

  private byte[] nodeHash(byte[] left, byte[] right) {
    md.update(NODE);
    md.update(left);
    md.update(right);
    return md.digest();
  }
}
