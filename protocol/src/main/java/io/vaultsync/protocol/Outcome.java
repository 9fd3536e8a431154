package io.vaultsync.protocol;

import io.vaultsync.model.tree.NotePath;
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

  /**
   * It was refused because no client could hold the tree it would make ({@code
   * io.vaultsync.model.tree.TreeShape}): a file below a file, a file where a folder of files is, or
   * a client-internal name. {@code reason} says which, for people. Nothing was changed for it, and
   * retrying cannot help: the client names the file as not synced.
   */
  record Refused(NotePath path, String reason) implements Outcome {
    public Refused {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
    }
  }
}
