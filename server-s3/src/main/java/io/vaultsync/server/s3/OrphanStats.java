package io.vaultsync.server.s3;

/**
 * What one orphan sweep of an {@link S3ContentStore} did.
 *
 * @param packs pack keys listed in the bucket
 * @param deleted orphan packs deleted (no index row, older than the grace)
 * @param deletedBytes their total size
 * @param young packs younger than the grace, not looked at (a commit may still be inserting their
 *     rows)
 */
public record OrphanStats(long packs, long deleted, long deletedBytes, long young) {
  public String summary() {
    return String.format(
        "orphan packs: deleted %,d of %,d bytes (uploads whose commit never finished)%s",
        deleted,
        deletedBytes,
        young > 0 ? String.format("; %,d packs younger than the grace not looked at", young) : "");
  }
}
