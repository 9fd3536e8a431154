package io.vaultsync.server.store;

/**
 * What one content GC did.
 *
 * @param dropped objects left out: no root named them, no kept delta needed them, no batch pinned
 *     them
 * @param droppedBytes their total content size (as read back, whether stored whole or as deltas)
 * @param pinned objects that would have been dropped but a commit staged or deduplicated them
 *     meanwhile (kept)
 * @param repack the rewrite that left them out
 */
public record GcStats(long dropped, long droppedBytes, long pinned, RepackStats repack) {
  public String summary() {
    return String.format(
            "content GC: removed %,d objects (%,d bytes of content) that no head, version,"
                + " snapshot or ledger row names",
            dropped, droppedBytes)
        + (pinned > 0 ? String.format("; kept %,d that commits used meanwhile", pinned) : "")
        + "; "
        + repack.summary();
  }
}
