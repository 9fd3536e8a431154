package io.vaultsync.server.limits;

import java.util.OptionalLong;

/**
 * What the server stores for its clients at most: the largest file it accepts ({@code
 * --max-file-size}) and the quota of a vault that has none of its own ({@code --vault-quota};
 * empty: unlimited).
 *
 * @param maxFileBytes the largest file a commit or push may store, in bytes (at least 1)
 * @param defaultQuota the storage quota of every vault without its own, in bytes; empty: none
 */
public record StorageLimits(long maxFileBytes, OptionalLong defaultQuota) {
  /** The default largest file: 1 GiB. */
  public static final long DEFAULT_MAX_FILE_BYTES = 1L << 30;

  /** 1 GiB per file, no quota: what {@code vaultsync server} does unless told otherwise. */
  public static final StorageLimits DEFAULTS =
      new StorageLimits(DEFAULT_MAX_FILE_BYTES, OptionalLong.empty());

  public StorageLimits {
    if (maxFileBytes < 1) {
      throw new IllegalArgumentException(
          "largest file of " + maxFileBytes + " bytes; expected at least 1");
    }
    if (defaultQuota == null) {
      defaultQuota = OptionalLong.empty();
    }
    if (defaultQuota.isPresent() && defaultQuota.getAsLong() < 1) {
      throw new IllegalArgumentException(
          "vault quota of " + defaultQuota.getAsLong() + " bytes; expected at least 1");
    }
  }
}
