package io.vaultsync.server.s3;

/**
 * What one content GC of an {@link S3ContentStore} did.
 *
 * @param dropped objects forgotten: no root named them and no commit relied on them
 * @param droppedBytes their total size
 * @param kept objects no root named but a commit pinned or touched meanwhile (kept)
 * @param packsDeleted packs deleted because no live object was left in them
 * @param packsRewritten mostly dead packs whose live objects were copied into a new pack
 * @param bytesFreed bytes of the bucket freed (deleted packs, and what rewrites left out)
 */
public record S3GcStats(
    long dropped,
    long droppedBytes,
    long kept,
    int packsDeleted,
    int packsRewritten,
    long bytesFreed) {
  public String summary() {
    return String.format(
        "content GC: removed %,d objects (%,d bytes) that no head, version, snapshot or ledger row"
            + " names%s; deleted %d packs, rewrote %d, freed %,d bytes of the object store",
        dropped,
        droppedBytes,
        kept > 0 ? String.format("; kept %,d that commits used meanwhile", kept) : "",
        packsDeleted,
        packsRewritten,
        bytesFreed);
  }
}
