package io.vaultsync.protocol;

/**
 * When deletes count as a mass delete, which a sync holds back (and a server refuses, per commit
 * and device) unless mass deletes are allowed explicitly: more than {@code maxPercent}% of the
 * vault's files once at least {@code percentFloor} files are deleted (so that deleting 1 of 3
 * files, 33%, is an ordinary delete), or, if {@code maxFiles} is set, more than {@code maxFiles}
 * files.
 *
 * <p>The rule is relative to the vault's size on purpose: what it protects against is a folder that
 * emptied (an unmounted drive, a wiped disk) or a runaway script, which remove a large share of the
 * files, not a person tidying a large vault (255 deletes in a vault of 10,000 files are 2.5%). An
 * absolute cap is opt-in for people who want one.
 *
 * @param maxFiles most files one sync (or commit) may delete, at least 0; 0: no absolute cap
 * @param maxPercent most percent of the vault's files one sync (or commit) may delete, 0..100
 * @param percentFloor the percentage rule applies only from this many deletes on, at least 1
 */
public record DeleteLimits(int maxFiles, int maxPercent, int percentFloor) {
  /**
   * How long one device's deletes committed without allowing mass deletes count together: a mass
   * delete cut into many small commits is refused too.
   */
  public static final java.time.Duration WINDOW = java.time.Duration.ofMinutes(1);

  /** More than 30% of the vault's files from 10 deletes on; no absolute cap. */
  public static final DeleteLimits DEFAULTS = new DeleteLimits(0, 30, 10);

  /** No limit: every delete is allowed. */
  public static final DeleteLimits NONE = new DeleteLimits(0, 100, Integer.MAX_VALUE);

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
    if (maxFiles > 0 && deletes > maxFiles) {
      return true;
    }
    return deletes >= percentFloor && deletes * 100 > (long) maxPercent * Math.max(files, 0);
  }

  /** {@code deletes} as a whole percentage of {@code files}, rounded down (100 when files is 0). */
  public static long percent(long deletes, long files) {
    return files <= 0 ? 100 : deletes * 100 / files;
  }

  /**
   * The limits in words, e.g. "more than 30% of the vault's files (from 10 deletes on)", with "more
   * than 500 files or " before it when there is an absolute cap.
   */
  public String describe() {
    String percent =
        "more than " + maxPercent + "% of the vault's files (from " + percentFloor + " deletes on)";
    return maxFiles > 0 ? "more than " + maxFiles + " files or " + percent : percent;
  }
}
