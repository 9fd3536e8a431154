package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.util.Objects;

/**
 * One step of a {@link SyncPlan}. Every step names the versions it expects, so the executor can
 * check them again right before acting and skip a step whose file changed meanwhile.
 */
public sealed interface SyncAction {
  /** The path the step is about (for a move: its source). */
  NotePath path();

  /** One line for people, as {@code status} prints it. */
  String describe();

  /**
   * Send the local file (hash {@code local}) as a new version replacing {@code base} (null: new).
   */
  record Upload(NotePath path, ContentHash base, Version local) implements SyncAction {
    public Upload {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(local, "local");
    }

    @Override
    public String describe() {
      return (base == null ? "upload new   " : "upload       ") + path;
    }
  }

  /**
   * Replace the local file (hash {@code localBase}, null: absent) with the remote version {@code
   * remote}, fetched as a delta against the local file.
   */
  record Download(NotePath path, Version remote, ContentHash localBase) implements SyncAction {
    public Download {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String describe() {
      return (localBase == null ? "download new " : "download     ") + path;
    }
  }

  /** Delete the remote file, whose version must be {@code expected}. */
  record DeleteRemote(NotePath path, ContentHash expected) implements SyncAction {
    public DeleteRemote {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(expected, "expected");
    }

    @Override
    public String describe() {
      return "delete remote " + path;
    }
  }

  /** Delete the local file, whose content must be {@code expected}. */
  record DeleteLocal(NotePath path, ContentHash expected) implements SyncAction {
    public DeleteLocal {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(expected, "expected");
    }

    @Override
    public String describe() {
      return "delete local " + path;
    }
  }

  /** The file was moved here: move it on the server too; no content travels. */
  record MoveRemote(NotePath path, NotePath to, ContentHash hash) implements SyncAction {
    public MoveRemote {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String describe() {
      return "move remote  " + path + " -> " + to;
    }
  }

  /** The file was moved on the server: rename the local file. */
  record MoveLocal(NotePath path, NotePath to, ContentHash hash) implements SyncAction {
    public MoveLocal {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(hash, "hash");
    }

    @Override
    public String describe() {
      return "move local   " + path + " -> " + to;
    }
  }

  /**
   * Text changed on both sides: three-way merge against {@code base} (null: empty), write the
   * result and upload it; on conflict keep both.
   */
  record Merge(NotePath path, ContentHash base, Version local, Version remote)
      implements SyncAction {
    public Merge {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String describe() {
      return "merge        " + path;
    }
  }

  /**
   * Changed on both sides and not mergeable: the remote version stays at the path, the local one is
   * kept beside it as a conflict copy and uploaded.
   */
  record KeepBoth(NotePath path, Version local, Version remote) implements SyncAction {
    public KeepBoth {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(local, "local");
      Objects.requireNonNull(remote, "remote");
    }

    @Override
    public String describe() {
      return "keep both    " + path;
    }
  }

  /** Both sides already agree ({@code now}, null: both deleted): only the index changes. */
  record Record(NotePath path, Version now) implements SyncAction {
    public Record {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String describe() {
      return "record       " + path;
    }
  }

  /**
   * A delete the mass-delete guard held back ({@link MassDeleteGuard}): left undone and named
   * ({@link NotSynced.Kind#HELD_BACK}, {@code reason}); the index keeps the file, so the next sync
   * sees the same delete again until someone confirms it or puts the file back.
   */
  record HeldBack(SyncAction step, String reason) implements SyncAction {
    public HeldBack {
      Objects.requireNonNull(step, "step");
      Objects.requireNonNull(reason, "reason");
      if (!(step instanceof DeleteRemote || step instanceof DeleteLocal)) {
        throw new IllegalArgumentException("only a delete is held back, not " + step);
      }
    }

    @Override
    public NotePath path() {
      return step.path();
    }

    @Override
    public String describe() {
      return "held back    " + step.describe();
    }
  }

  /**
   * Left alone this time (it changed while being read, its name or kind cannot be synced here, the
   * server holds a tree no disk can hold); the next sync looks again. Its remote changes stay
   * unapplied (the last seq does not pass them).
   *
   * @param kind what kind of reason, as the file is then named ({@link NotSynced.Kind})
   * @param named whether the scan already names the file (a link, a name clash: {@link
   *     SyncPlan#leftOut()}), so the sync holds it back without naming it twice
   */
  record Skip(NotePath path, String reason, NotSynced.Kind kind, boolean named)
      implements SyncAction {
    public Skip {
      Objects.requireNonNull(path, "path");
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(kind, "kind");
    }

    /** A file to look at again next time ({@link NotSynced.Kind#RETRY}). */
    public Skip(NotePath path, String reason) {
      this(path, reason, NotSynced.Kind.RETRY, false);
    }

    @Override
    public String describe() {
      return "skip         " + path + " (" + reason + ")";
    }
  }
}
