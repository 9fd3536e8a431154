package io.vaultsync.protocol;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.MerkleRoot;
import io.vaultsync.model.tree.NotePath;
import java.util.Arrays;
import java.util.Objects;

/**
 * One change a client asks a remote to make, as part of a {@link VaultTransport#commit batch}. Each
 * names the version it replaces, so a remote refuses it (as {@link Outcome.Stale}) when someone
 * changed the file first.
 */
public sealed interface Mutation {
  /** The path the mutation is about (for a move: its source). */
  NotePath path();

  /**
   * Create or update {@code path} with the content {@code delta} makes from {@code base} (null: a
   * new file, which must not exist).
   */
  final class Put implements Mutation {
    private final NotePath path;
    private final ContentHash base;
    private final byte[] delta;

    public Put(NotePath path, ContentHash base, byte[] delta) {
      this.path = Objects.requireNonNull(path, "path");
      this.base = base;
      if (delta.length > Limits.INLINE_DELTA_BYTES) {
        throw new IllegalArgumentException(
            "inline delta of "
                + delta.length
                + " bytes for "
                + path
                + "; at most "
                + Limits.INLINE_DELTA_BYTES);
      }
      this.delta = delta.clone();
    }

    @Override
    public NotePath path() {
      return path;
    }

    /** The version replaced, or null for a new file. */
    public ContentHash base() {
      return base;
    }

    /** A copy of the delta bytes. */
    public byte[] delta() {
      return delta.clone();
    }

    public int deltaLength() {
      return delta.length;
    }

    /** The delta bytes as a stream, without copying. */
    public java.io.InputStream deltaStream() {
      return new java.io.ByteArrayInputStream(delta);
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Put p
          && path.equals(p.path)
          && Objects.equals(base, p.base)
          && Arrays.equals(delta, p.delta);
    }

    @Override
    public int hashCode() {
      return Objects.hash(path, base, Arrays.hashCode(delta));
    }

    @Override
    public String toString() {
      return "Put[" + path + ", base=" + base + ", delta=" + delta.length + " bytes]";
    }
  }

  /** Delete {@code path}, whose current version must be {@code expected}. */
  record Delete(NotePath path, ContentHash expected) implements Mutation {
    public Delete {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(expected, "expected");
    }
  }

  /** Move {@code path} (current version {@code expected}) to {@code to}, which must not exist. */
  record Move(NotePath path, NotePath to, ContentHash expected) implements Mutation {
    public Move {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(expected, "expected");
      if (path.equals(to)) {
        throw new IllegalArgumentException("move of " + path + " onto itself");
      }
    }
  }

  /**
   * Move every file below the folder {@code path} below {@code to}, keeping each one's name
   * relative to the folder: one mutation (and one change on the feed of a reader that asks for
   * folder moves) whatever the folder holds. The folder must hold exactly the {@code files} files
   * whose (path, hash) entries have the Merkle root {@code root} (docs/FORMAT.md section 8), else
   * the move is {@link Outcome.Stale} and nothing moves: a client moves only the files it has seen.
   * No moved file's target may be occupied or refused by the tree rules; the move is all or
   * nothing.
   */
  record MoveFolder(NotePath path, NotePath to, long files, MerkleRoot root) implements Mutation {
    public MoveFolder {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(root, "root");
      if (path.equals(to)) {
        throw new IllegalArgumentException("folder move of " + path + " onto itself");
      }
      if (files < 1) {
        throw new IllegalArgumentException(
            "folder move of " + path + " expecting " + files + " files; expected >= 1");
      }
    }
  }
}
