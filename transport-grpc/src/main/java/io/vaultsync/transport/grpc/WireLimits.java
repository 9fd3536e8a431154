package io.vaultsync.transport.grpc;

import io.vaultsync.protocol.Limits;

/**
 * How the gRPC transport frames the protocol: page, chunk and queue sizes of its own. The sizes
 * both sides agree on are {@link Limits}; see transport-grpc/README.md.
 */
final class WireLimits {
  private WireLimits() {}

  /**
   * Most serialized bytes of changes in one ChangesSince answer (one change is at most ~8.4 KB, so
   * the answer stays under 2.1 MB); the page is cut short and {@code hasMore()} tells the client.
   */
  static final int CHANGES_PAGE_BYTES = 2 << 20;

  /** Most versions in one History answer, whatever limit the client asked for. */
  static final int MAX_VERSIONS_PER_PAGE = 1_000;

  /** Serialized bytes of manifest entries per GetManifest message (~3,500 short entries). */
  static final int MANIFEST_CHUNK_BYTES = 256 << 10;

  /** Messages the server queues per server-streaming call before the producer blocks. */
  static final int SERVER_STREAM_QUEUE = 4;

  /** Push chunks the server lets the client have in flight (requested, not yet consumed). */
  static final int PUSH_WINDOW_CHUNKS = 4;

  /**
   * Delta bytes from which a commit or a fetch of several files goes zstd-compressed; below it the
   * frame's header costs more than zstd saves (a live one-line edit grew by ~130 bytes).
   */
  static final int ZSTD_AT_BYTES = 1024;

  /** Messages at least this large are gzip-compressed when they are mostly names, not deltas. */
  static final int COMPRESS_AT_BYTES = 1024;

  /**
   * Whether gzip is worth its CPU for {@code message}: large enough, and not mostly inline delta
   * bytes (literals are already LZ4-compressed). Ledger pages and batches of moves and deletes are
   * paths, devices and field tags that compress several-fold; a message of 50 renames shrinks from
   * ~9 KB to ~4 KB (its 32-byte hashes do not compress).
   */
  static boolean worthCompressing(com.google.protobuf.MessageLite message) {
    int size = message.getSerializedSize();
    if (size < COMPRESS_AT_BYTES
        || message instanceof io.vaultsync.transport.grpc.v1.FetchPageResponse) {
      return false; // a fetch page is delta bytes, already LZ4-compressed
    }
    if (message instanceof io.vaultsync.transport.grpc.v1.CommitRequest r) {
      long deltaBytes = 0;
      for (var m : r.getMutationsList()) {
        if (m.hasPut()) {
          deltaBytes += m.getPut().getDelta().size();
        }
      }
      return deltaBytes * 2 < size;
    }
    return true;
  }
}
