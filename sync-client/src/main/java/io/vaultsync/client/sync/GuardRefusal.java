package io.vaultsync.client.sync;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.DeleteLimits;
import io.vaultsync.protocol.MassDeleteRefusedException;
import java.util.List;
import java.util.Objects;

/**
 * Deletes the mass-delete guard held back: the sync did everything else, left these deletes undone
 * (the index keeps their files, so the next sync sees the same deletes again) and names them
 * ({@link NotSynced.Kind#HELD_BACK}) until someone confirms them with {@code --allow-mass-delete}
 * or puts the files back.
 *
 * @param reason which rule
 * @param deletes the deletes held back on the side concerned (for {@link Reason#SERVER_REFUSED}:
 *     the deletes the server counted, with this device's deletes of the last minute)
 * @param files that side's files before the sync (for {@link Reason#FOLDER_LOOKS_EMPTY}: the files
 *     synced before, per the index)
 * @param paths the paths held back, in path order
 * @param limits the limits applied
 */
public record GuardRefusal(
    Reason reason, int deletes, int files, List<NotePath> paths, DeleteLimits limits) {
  /** The rule that held the deletes back. */
  public enum Reason {
    /** The folder has no files while the index says files were synced: empty or unmounted. */
    FOLDER_LOOKS_EMPTY,
    /** Too many deletes to push to the server (files deleted here). */
    REMOTE_DELETES,
    /** Too many deletes to apply here (files another device deleted on the server). */
    LOCAL_DELETES,
    /** The server refused the deletes of a commit (its own limits); the rest was committed. */
    SERVER_REFUSED
  }

  /** At most this many example paths are named in messages. */
  public static final int MAX_EXAMPLES = 5;

  public GuardRefusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(limits, "limits");
    paths = List.copyOf(paths);
  }

  /** The server's refusal of the deletes {@code paths} of one commit. */
  static GuardRefusal ofServer(MassDeleteRefusedException e, List<NotePath> paths) {
    return new GuardRefusal(
        Reason.SERVER_REFUSED,
        (int) Math.min(Integer.MAX_VALUE, e.deletes()),
        (int) Math.min(Integer.MAX_VALUE, e.files()),
        paths.stream().sorted().toList(),
        e.limits() != null ? e.limits() : DeleteLimits.DEFAULTS);
  }

  /** Whether the rule holds back deletes on the server (else: deletes in this folder). */
  public boolean remoteSide() {
    return reason != Reason.LOCAL_DELETES;
  }

  /** The first few paths, in path order. */
  public List<NotePath> examples() {
    return paths.subList(0, Math.min(paths.size(), MAX_EXAMPLES));
  }

  /**
   * One paragraph for people: what was held back, why, and what to do. {@code folder} is the vault
   * folder as the user named it. It names no share of the vault's files on purpose: the text is the
   * reason of every held-back path, and a live watch reports the list again only when it changes,
   * not whenever a new note changes the percentage.
   */
  public String describe(String folder) {
    String confirm = "run `vaultsync sync " + folder + " --allow-mass-delete`";
    return switch (reason) {
      case FOLDER_LOOKS_EMPTY ->
          "held back "
              + paths.size()
              + " deletes on the server: "
              + folder
              + " has no files, but "
              + files
              + " were synced from it before: it looks empty or unmounted. If the folder is on a"
              + " drive that is not mounted, mount it; if you deleted every file on purpose, "
              + confirm;
      case REMOTE_DELETES ->
          "held back "
              + paths.size()
              + " deletes on the server: they are gone from "
              + folder
              + ", and the guard holds back deleting "
              + limits.describe()
              + ". If you deleted them on purpose, "
              + confirm
              + "; otherwise put them back (from the trash or a backup)";
      case LOCAL_DELETES ->
          "held back "
              + paths.size()
              + " deletes in "
              + folder
              + ": another device deleted them on the server, and the guard holds back deleting "
              + limits.describe()
              + "; they stay here. If those deletes are intended, "
              + confirm
              + "; otherwise check the device that deleted them (the server keeps every version)";
      case SERVER_REFUSED ->
          "held back "
              + paths.size()
              + " deletes the server refused: they are gone from "
              + folder
              + ", and the server refuses deleting "
              + limits.describe()
              + " ("
              + deletes
              + " counted with this device's deletes of the last minute). If you deleted them on"
              + " purpose, "
              + confirm
              + "; otherwise put them back (from the trash or a backup)";
    };
  }
}
