package io.vaultsync.client.sync;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Uploads a server refused for one of its limits (the file is larger than it stores, or the vault
 * is at its quota), remembered for {@link #FOR} by path and content: a live sync ({@code watch})
 * reports such a file as not synced every cycle without sending it again (a 2 GiB video over a 1
 * GiB limit would otherwise cost 1 GiB of upload per cycle). After that time, or when the file
 * changes, it is tried again (the operator may have raised the limit). One per {@link Syncer}; not
 * thread-safe.
 */
final class RefusedUploads {
  /** How long a refusal is trusted. */
  static final Duration FOR = Duration.ofMinutes(10);

  private record Refusal(ContentHash hash, String reason, long atNanos) {}

  private final Map<NotePath, Refusal> refused = new HashMap<>();

  /** The reason the server refused {@code hash} at {@code path} lately, or null. */
  String reason(NotePath path, ContentHash hash) {
    Refusal r = refused.get(path);
    if (r == null) {
      return null;
    }
    if (!r.hash().equals(hash) || System.nanoTime() - r.atNanos() > FOR.toNanos()) {
      refused.remove(path);
      return null;
    }
    return r.reason();
  }

  /** Remembers that the server refused {@code hash} at {@code path} for {@code reason}. */
  void remember(NotePath path, ContentHash hash, String reason) {
    refused.put(path, new Refusal(hash, reason, System.nanoTime()));
  }
}
