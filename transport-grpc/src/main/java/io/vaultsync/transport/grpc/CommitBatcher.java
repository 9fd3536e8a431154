package io.vaultsync.transport.grpc;

import io.vaultsync.transport.grpc.v1.Mutation;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a list of encoded mutations into consecutive batches of at most {@code maxCount} mutations
 * and {@code maxBytes} serialized bytes each, in order, so every Commit call fits the server's
 * message limit. A single mutation always fits (a 4 MiB delta plus two 4 KiB paths).
 */
final class CommitBatcher {
  private CommitBatcher() {}

  static List<List<Mutation>> split(List<Mutation> mutations, int maxBytes, int maxCount) {
    if (maxBytes < 1 || maxCount < 1) {
      throw new IllegalArgumentException(
          "batches of " + maxBytes + " bytes, " + maxCount + " mutations; expected >= 1");
    }
    List<List<Mutation>> batches = new ArrayList<>();
    List<Mutation> batch = new ArrayList<>();
    long bytes = 0;
    for (Mutation m : mutations) {
      // A repeated field costs its tag (1 byte) and a length varint (at most 5) per element.
      long size = m.getSerializedSize() + 6L;
      if (!batch.isEmpty() && (batch.size() == maxCount || bytes + size > maxBytes)) {
        batches.add(batch);
        batch = new ArrayList<>();
        bytes = 0;
      }
      batch.add(m);
      bytes += size;
    }
    if (!batch.isEmpty()) {
      batches.add(batch);
    }
    return batches;
  }
}
