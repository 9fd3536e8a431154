package io.vaultsync.client.sync;

import java.util.Objects;

/**
 * A file a sync left out, named for people and scripts: nothing is ever skipped in silence. A sync
 * that leaves any file out ends with exit code 7 and one line per file; {@code watch} reports the
 * list whenever it changes.
 *
 * @param path the file's path relative to the vault folder, {@code /}-separated, as it is on this
 *     disk (it may not be a valid note path: that can be why it is left out)
 * @param kind what kind of reason, for scripts
 * @param reason what is wrong and what to do, for people (one line)
 */
public record NotSynced(String path, Kind kind, String reason) {
  /** What kind of reason keeps a file out. */
  public enum Kind {
    /** Left for the next sync: it changed while being read, or changed meanwhile. */
    RETRY,
    /** Its name or kind cannot be synced (an invalid name, a link, a special file, a clash). */
    NAME,
    /** The server lacks its content or refused it (too large, over quota, a clash). */
    SERVER,
    /** A delete the mass-delete guard held back until someone confirms it. */
    HELD_BACK
  }

  public NotSynced {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(reason, "reason");
  }

  /**
   * A file whose content the server lacks, holds only damaged or sent damaged: {@code detail} says
   * which content (the server's own words). The server's operator should check its store; a device
   * that still has the file gives it back on its next sync, and a later sync brings it here.
   */
  public static NotSynced serverLacks(String path, String detail) {
    return new NotSynced(
        path,
        Kind.SERVER,
        "the server lacks its content ("
            + detail
            + "): its operator should run `vaultsync server check`; a device that still has the"
            + " file gives it back on its next sync, and the sync after that brings it here");
  }

  /** The line a sync prints for it: {@code PATH: REASON}. */
  public String describe() {
    return path + ": " + reason;
  }
}
