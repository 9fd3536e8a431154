package io.vaultsync.server.s3;

import java.util.UUID;

/** Names of new packs. */
final class S3Packs {
  private S3Packs() {}

  /**
   * A new pack id: the time in hex, so that a listing sorts by age for a person reading it, and a
   * random UUID, so that ids are unique across processes without coordination.
   */
  static String newId() {
    return Long.toHexString(System.currentTimeMillis()) + "-" + UUID.randomUUID();
  }
}
