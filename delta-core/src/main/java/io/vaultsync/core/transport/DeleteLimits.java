package io.vaultsync.core.transport;

/**
 * When deletes count as a mass delete, which a sync (and a server, per commit and device) refuses
 * unless mass deletes are allowed explicitly: more than {@code maxFiles} files, or more than {@code
 * maxPercent}% of the vault's files once at least {@code percentFloor} files are deleted (so that
 * deleting 1 of 3 files, 33%, is an ordinary delete).
 *
 * @param maxFiles most files one sync (or commit) may delete, at least 0
 * @param maxPercent most percent of the vault's files one sync (or commit) may delete, 0..100
 * @param percentFloor the percentage rule applies only from this many deletes on, at least 1
 */
public record DeleteLimits(int maxFiles, int maxPercent, int percentFloor) {
  /** More than 200 files, or more than 30% from 10 deletes on. */
  public static final DeleteLimits DEFAULTS = new DeleteLimits(200, 30, 10);

  /** No limit: every delete is allowed. */
  public static final DeleteLimits NONE = new DeleteLimits(Integer.MAX_VALUE, 100, 1);

  public DeleteLimits {
    if (maxFiles < 0) {
      throw new IllegalArgumentException(
          "mass-delete limit of " + maxFiles + " files; expected >= 0");
    }
    if (maxPercent < 0 || maxPercent > 100) {
      throw new IllegalArgumentException(
          "mass-delete limit of " + maxPercent + "%; expected 0..100");
    }
    if (percentFloor < 1) {
      throw new IllegalArgumentException(
          "mass-delete percentage floor of " + percentFloor + " deletes; expected >= 1");
    }
  }

  /**
   * Whether deleting {@code deletes} of a vault's {@code files} files (counted before the deletes)
   * is a mass delete.
   */
  public boolean exceeded(long deletes, long files) {
    if (deletes <= 0) {
      return false;
    }
    if (deletes > maxFiles) {
      return true;
    }
    return deletes >= percentFloor && deletes * 100 > (long) maxPercent * Math.max(files, 0);
  }

  /** {@code deletes} as a whole percentage of {@code files}, rounded down (100 when files is 0). */
  public static long percent(long deletes, long files) {
    return files <= 0 ? 100 : deletes * 100 / files;
  }

  /** The limits in words, e.g. "more than 200 files or more than 30% (from 10 deletes on)". */
  public String describe() {
    return "more than "
        + maxFiles
        + " files or more than "
        + maxPercent
        + "% of the vault's files (the percentage from "
        + percentFloor
        + " deletes on)";
  }
}
