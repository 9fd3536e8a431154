package io.vaultsync.core.transport;

import io.vaultsync.core.tree.NotePath;
import java.util.Objects;

/** What became of one {@link Mutation} of a batch. */
public sealed interface Outcome {
  /** It was applied and recorded as {@code change}. */
  record Applied(Change change) implements Outcome {
    public Applied {
      Objects.requireNonNull(change, "change");
    }
  }

  /**
   * It was refused because {@code path} is not at the version the mutation named; {@code current}
   * is what is there (null: nothing). Nothing was changed for it.
   */
  record Stale(NotePath path, RemoteEntry current) implements Outcome {
    public Stale {
      Objects.requireNonNull(path, "path");
    }
  }
}
