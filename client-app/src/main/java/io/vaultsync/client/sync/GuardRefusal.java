package io.vaultsync.client.sync;

import io.vaultsync.core.transport.DeleteLimits;
import io.vaultsync.core.tree.NotePath;
import java.util.List;
import java.util.Objects;

/**
 * Why {@link MassDeleteGuard} stopped a sync before it changed anything.
 *
 * @param reason which rule
 * @param deletes the deletes the sync would have made on the side concerned
 * @param files that side's files before the sync (for {@link Reason#FOLDER_LOOKS_EMPTY}: the files
 *     synced before, per the index)
 * @param examples a few of the paths, in path order
 * @param limits the limits applied
 */
public record GuardRefusal(
    Reason reason, int deletes, int files, List<NotePath> examples, DeleteLimits limits) {
  /** The rule that refused. */
  public enum Reason {
    /** The folder has no files while the index says files were synced: empty or unmounted. */
    FOLDER_LOOKS_EMPTY,
    /** Too many deletes pushed to the server (files deleted here). */
    REMOTE_DELETES,
    /** Too many deletes applied here (files deleted on the server by another device). */
    LOCAL_DELETES
  }

  /** At most this many example paths are kept. */
  public static final int MAX_EXAMPLES = 5;

  public GuardRefusal {
    Objects.requireNonNull(reason, "reason");
    Objects.requireNonNull(limits, "limits");
    examples = List.copyOf(examples.subList(0, Math.min(examples.size(), MAX_EXAMPLES)));
  }

  /** One paragraph for people: what would have been deleted, and what to do. */
  public String describe(String folder) {
    String e = examples.isEmpty() ? "" : ", e.g. " + String.join(", ", names());
    long pct = DeleteLimits.percent(deletes, files);
    return switch (reason) {
      case FOLDER_LOOKS_EMPTY ->
          folder
              + " has no files, but "
              + files
              + " were synced from it before: it looks empty or unmounted, and a sync would"
              + " delete "
              + deletes
              + " files on the server"
              + e
              + ". Nothing was changed. If the folder is on a drive that is not mounted, mount it"
              + " and sync again; if you deleted every file on purpose, run again with"
              + " --allow-mass-delete";
      case REMOTE_DELETES ->
          "this sync would delete "
              + deletes
              + " of "
              + files
              + " files ("
              + pct
              + "%) on the server because they are gone from "
              + folder
              + e
              + "; a sync refuses deleting "
              + limits.describe()
              + ". Nothing was changed. If you deleted them on purpose, run again with"
              + " --allow-mass-delete; otherwise put them back (from the trash or a backup) and"
              + " sync again";
      case LOCAL_DELETES ->
          "this sync would delete "
              + deletes
              + " of "
              + files
              + " files ("
              + pct
              + "%) in "
              + folder
              + " because another device deleted them on the server"
              + e
              + "; a sync refuses deleting "
              + limits.describe()
              + ". Nothing was changed. If those deletes are intended, run again with"
              + " --allow-mass-delete; otherwise check the device that deleted them (the server"
              + " keeps every version, and the files stay here until then)";
    };
  }

  private List<String> names() {
    return examples.stream().map(NotePath::value).toList();
  }
}
