package io.vaultsync.server.store;

import java.io.IOException;

/**
 * A content store kept outside the data folder that reclaims its own space (the S3 store): content
 * no record names any more, and uploads that never committed (orphans). Run by one process of the
 * server, under the retention lease, every repack period; safe beside commits in every process.
 */
public interface GarbageCollecting {
  /**
   * Drops the content {@code roots} does not name and reclaims its space.
   *
   * @return what it did, in one line
   */
  String collectGarbage(ContentRoots roots) throws IOException;

  /**
   * Deletes what uploads that never committed left, once they are older than the store's grace.
   *
   * @return what it did, in one line
   */
  String sweepOrphans() throws IOException;
}
