package io.vaultsync.transport.grpc;

import com.google.protobuf.MessageLite;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a list of encoded messages into consecutive batches of at most {@code maxCount} messages and
 * {@code maxBytes} serialized bytes each, in order, so every message that carries a batch as a
 * repeated field fits its limit: the mutations of a Commit call, the changes of a page, the entries
 * of a manifest chunk. A single element always makes a batch of its own, however large.
 */
final class MessageBatcher {
  private MessageBatcher() {}

  static <M extends MessageLite> List<List<M>> split(
      List<M> messages, long maxBytes, int maxCount) {
    if (maxBytes < 1 || maxCount < 1) {
      throw new IllegalArgumentException(
          "batches of " + maxBytes + " bytes, " + maxCount + " messages; expected >= 1");
    }
    List<List<M>> batches = new ArrayList<>();
    List<M> batch = new ArrayList<>();
    long bytes = 0;
    for (M m : messages) {
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
