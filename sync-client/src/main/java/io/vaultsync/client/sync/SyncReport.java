package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * What a sync did: three values and the seq, each of one concern ({@link Counts}, {@link Listed},
 * {@link Traffic}); the accessors of the single numbers and lists ({@link #filesUp()}, {@link
 * #notSynced()}, ...) read through them.
 *
 * @param counts how many files each kind of step touched
 * @param listed the files the report names one by one
 * @param traffic bytes on the wire and wall-clock time
 * @param seq the last ledger seq the folder has applied now
 */
public record SyncReport(Counts counts, Listed listed, Traffic traffic, long seq) {
  public SyncReport {
    Objects.requireNonNull(counts, "counts");
    Objects.requireNonNull(listed, "listed");
    Objects.requireNonNull(traffic, "traffic");
  }

  /**
   * How many files each kind of step touched.
   *
   * @param up files whose content was uploaded (including merges and conflict copies)
   * @param down files whose content was downloaded
   * @param moved moves applied on either side (no content travelled)
   * @param deleted deletes applied on either side
   * @param merged clean three-way merges
   */
  public record Counts(int up, int down, int moved, int deleted, int merged) {
    /** Nothing done. */
    public static final Counts NONE = new Counts(0, 0, 0, 0, 0);
  }

  /**
   * The files a report names one by one.
   *
   * @param conflictCopies conflict copies made (local versions kept beside the remote one)
   * @param absorbedByMerge local versions that a clean merge folded into a new version (their
   *     changes live on in it; they are not stored on their own)
   * @param notSynced files this sync left out, each with the reason (nothing is left out in
   *     silence), including the deletes the mass-delete guard held back ({@link
   *     NotSynced.Kind#HELD_BACK})
   * @param givenBack files whose content this sync gave back to a server that had lost it
   */
  public record Listed(
      List<NotePath> conflictCopies,
      List<ContentHash> absorbedByMerge,
      List<NotSynced> notSynced,
      List<NotePath> givenBack) {
    /** No file named. */
    public static final Listed NONE = new Listed(List.of(), List.of(), List.of(), List.of());

    public Listed {
      conflictCopies = List.copyOf(conflictCopies);
      absorbedByMerge = List.copyOf(absorbedByMerge);
      notSynced = List.copyOf(notSynced);
      givenBack = List.copyOf(givenBack);
    }
  }

  /**
   * Bytes on the wire and wall-clock time.
   *
   * @param bytesSent bytes sent on the wire (0 if the transport cannot tell)
   * @param bytesReceived bytes received on the wire (0 if the transport cannot tell)
   * @param millis wall-clock time
   */
  public record Traffic(long bytesSent, long bytesReceived, long millis) {}

  public int filesUp() {
    return counts.up();
  }

  public int filesDown() {
    return counts.down();
  }

  public int moved() {
    return counts.moved();
  }

  public int deleted() {
    return counts.deleted();
  }

  public int merged() {
    return counts.merged();
  }

  public List<NotePath> conflictCopies() {
    return listed.conflictCopies();
  }

  public List<ContentHash> absorbedByMerge() {
    return listed.absorbedByMerge();
  }

  public List<NotSynced> notSynced() {
    return listed.notSynced();
  }

  public List<NotePath> givenBack() {
    return listed.givenBack();
  }

  public long bytesSent() {
    return traffic.bytesSent();
  }

  public long bytesReceived() {
    return traffic.bytesReceived();
  }

  public long millis() {
    return traffic.millis();
  }

  /** Whether a conflict copy was made. */
  public boolean hasConflicts() {
    return !conflictCopies().isEmpty();
  }

  /** Whether the sync left a file out. */
  public boolean hasNotSynced() {
    return !notSynced().isEmpty();
  }

  /** Whether the mass-delete guard held deletes back (a one-shot sync then exits 6). */
  public boolean hasHeldBack() {
    return notSynced().stream().anyMatch(n -> n.kind() == NotSynced.Kind.HELD_BACK);
  }

  /**
   * One line for people, the same after init, clone, sync, restore and each watch cycle, e.g.
   * {@code synced at seq 4812: 12 up, 3 down, 0 moved, 0 deleted, 1 merged, 0 conflicts kept; 48.2
   * KB sent, 3.1 KB received in 0.41 s}.
   */
  public String summary() {
    StringBuilder sb = new StringBuilder();
    sb.append("synced at seq ")
        .append(seq)
        .append(": ")
        .append(filesUp())
        .append(" up, ")
        .append(filesDown())
        .append(" down, ")
        .append(moved())
        .append(" moved, ")
        .append(deleted())
        .append(" deleted, ")
        .append(merged())
        .append(" merged, ")
        .append(conflictCopies().size())
        .append(conflictCopies().size() == 1 ? " conflict kept" : " conflicts kept");
    long held = notSynced().stream().filter(n -> n.kind() == NotSynced.Kind.HELD_BACK).count();
    if (held > 0) {
      sb.append(", ").append(held).append(held == 1 ? " delete held back" : " deletes held back");
    }
    if (notSynced().size() > held) {
      sb.append(", ").append(notSynced().size() - held).append(" not synced");
    }
    if (!givenBack().isEmpty()) {
      sb.append(", ").append(givenBack().size()).append(" given back to the server");
    }
    sb.append("; ")
        .append(bytes(bytesSent()))
        .append(" sent, ")
        .append(bytes(bytesReceived()))
        .append(" received in ")
        .append(String.format(Locale.ROOT, "%.2f s", millis() / 1000.0));
    return sb.toString();
  }

  /** A byte count for people: {@code 812 B}, {@code 48.2 KB}, {@code 3.1 MB} (powers of 1024). */
  public static String bytes(long n) {
    if (n < 1024) {
      return n + " B";
    }
    String[] units = {"KB", "MB", "GB", "TB"};
    double v = n;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }
}
