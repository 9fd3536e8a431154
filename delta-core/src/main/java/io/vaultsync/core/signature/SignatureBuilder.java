package io.vaultsync.core.signature;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.rolling.RollingChecksum;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Computes a signature incrementally: feed the basis in buffers of any size, then {@link
 * #finish()}. Never opens files. Holds one block of carry-over between calls; a block that arrives
 * whole in one buffer is hashed in place, without a copy.
 *
 * <p>Not thread-safe.
 */
public final class SignatureBuilder {
  private final SignatureParams params;
  private final MessageDigest sha = ContentHash.newDigest();
  private final byte[] digest = new byte[ContentHash.LENGTH];
  private final byte[] carry;
  private final Signature.Accumulator blocks;
  private int carried;
  private long length;
  private boolean finished;

  public SignatureBuilder(SignatureParams params) {
    this.params = params;
    this.carry = new byte[params.blockLength()];
    this.blocks = new Signature.Accumulator(params, Signature.MAX_BLOCKS);
  }

  /** Signature of an in-memory basis. */
  public static Signature of(byte[] basis, SignatureParams params) {
    SignatureBuilder b = new SignatureBuilder(params);
    b.update(basis, 0, basis.length);
    return b.finish();
  }

  /** Feeds {@code len} bytes of the basis. */
  public void update(byte[] data, int off, int len) {
    if (finished) {
      throw new IllegalStateException("signature already finished");
    }
    Objects.checkFromIndexSize(off, len, data.length);
    length += len;
    int block = params.blockLength();
    if (carried > 0) {
      int n = Math.min(len, block - carried);
      System.arraycopy(data, off, carry, carried, n);
      carried += n;
      off += n;
      len -= n;
      if (carried < block) {
        return;
      }
      addBlock(carry, 0, block);
      carried = 0;
    }
    while (len >= block) {
      addBlock(data, off, block);
      off += block;
      len -= block;
    }
    if (len > 0) {
      System.arraycopy(data, off, carry, 0, len);
      carried = len;
    }
  }

  /** The signature of everything fed; the builder cannot be used afterwards. */
  public Signature finish() {
    if (finished) {
      throw new IllegalStateException("signature already finished");
    }
    if (carried > 0) {
      addBlock(carry, 0, carried);
      carried = 0;
    }
    finished = true;
    return blocks.build(length);
  }

  private void addBlock(byte[] data, int off, int len) {
    int weak = RollingChecksum.of(data, off, len);
    sha.update(data, off, len);
    try {
      sha.digest(digest, 0, digest.length);
    } catch (DigestException e) {
      throw new IllegalStateException("SHA-256 digest into a 32-byte buffer failed", e);
    }
    blocks.add(weak, digest, 0);
  }
}
