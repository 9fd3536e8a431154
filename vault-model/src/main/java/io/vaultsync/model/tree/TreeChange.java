package io.vaultsync.model.tree;

import java.util.Objects;

/**
 * One difference between two {@link Manifest}s, as computed by {@link TreeDiff}.
 *
 * <p>Each change has a {@link #path()}, unique within one diff: where the note is after the change,
 * or where it was for a {@link Deleted}.
 */
public sealed interface TreeChange {
  /** The path this change is listed under. */
  NotePath path();

  /** A file that exists only in the newer manifest. */
  record Added(ManifestEntry entry) implements TreeChange {
    /** Checks that {@code entry} is not null. */
    public Added {
      Objects.requireNonNull(entry, "entry");
    }

    @Override
    public NotePath path() {
      return entry.path();
    }
  }

  /** A file whose content changed in place. A change of mtime alone is not a modification. */
  record Modified(ManifestEntry before, ManifestEntry after) implements TreeChange {
    /** Checks that both entries have the same path and different hashes. */
    public Modified {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if (!before.path().equals(after.path()) || before.hash().equals(after.hash())) {
        throw new IllegalArgumentException(
            "modified "
                + before
                + " -> "
                + after
                + "; expected the same path and different hashes");
      }
    }

    @Override
    public NotePath path() {
      return after.path();
    }
  }

  /** A file that exists only in the older manifest. */
  record Deleted(ManifestEntry entry) implements TreeChange {
    /** Checks that {@code entry} is not null. */
    public Deleted {
      Objects.requireNonNull(entry, "entry");
    }

    @Override
    public NotePath path() {
      return entry.path();
    }
  }

  /** A file whose content now lives at another path. */
  record Moved(ManifestEntry before, ManifestEntry after) implements TreeChange {
    /** Checks that both entries have different paths and the same hash. */
    public Moved {
      Objects.requireNonNull(before, "before");
      Objects.requireNonNull(after, "after");
      if (before.path().equals(after.path()) || !before.hash().equals(after.hash())) {
        throw new IllegalArgumentException(
            "moved " + before + " -> " + after + "; expected different paths and the same hash");
      }
    }

    /** The destination. */
    @Override
    public NotePath path() {
      return after.path();
    }
  }
}
