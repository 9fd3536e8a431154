package io.vaultsync.server.store;

/**
 * What one repack did.
 *
 * @param packsBefore packs replaced
 * @param bytesBefore their total size
 * @param bytesAfter size of the pack that replaced them
 * @param objects objects in the new pack (none dropped)
 * @param deltas of which stored as deltas
 * @param encoded deltas computed in this repack (the rest were copied as they were)
 */
public record RepackStats(
    int packsBefore, long bytesBefore, long bytesAfter, long objects, long deltas, long encoded) {
  public String summary() {
    return String.format(
        "repacked %d packs of %,d bytes into one of %,d bytes: %,d objects, %,d stored as deltas"
            + " (%,d newly encoded)",
        packsBefore, bytesBefore, bytesAfter, objects, deltas, encoded);
  }
}
