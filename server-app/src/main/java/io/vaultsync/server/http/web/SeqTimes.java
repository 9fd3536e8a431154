package io.vaultsync.server.http.web;

import io.vaultsync.server.ledger.FileVersion;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VersionHistory;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * When the changes a folder listing shows were made, looked up in the version history by seq (one
 * indexed query each, remembered for the request); past {@link #MAX_LOOKUPS} a listing shows only
 * seqs, so a huge folder costs no more than that many queries. Not thread-safe: one per request.
 */
final class SeqTimes {
  /** Most history look-ups per listing. */
  static final int MAX_LOOKUPS = 2000;

  private final VersionHistory history;
  private final VaultName vault;
  private final Map<Long, Instant> known = new HashMap<>();

  SeqTimes(VersionHistory history, VaultName vault) {
    this.history = history;
    this.vault = vault;
  }

  /** {@code 2026-11-26 08:40:42 UTC (seq 4812)}, or {@code seq 4812} if the time is unknown. */
  String describe(long seq) throws IOException {
    Instant t = timeOf(seq);
    return t == null ? "seq " + seq : HtmlWriter.time(t) + " (seq " + seq + ")";
  }

  private Instant timeOf(long seq) throws IOException {
    if (known.containsKey(seq)) {
      return known.get(seq);
    }
    Instant t = null;
    if (known.size() < MAX_LOOKUPS) {
      List<FileVersion> v = history.versions(vault, null, seq + 1, 1);
      if (!v.isEmpty() && v.get(0).seq() == seq) {
        t = v.get(0).time();
      }
    }
    known.put(seq, t);
    return t;
  }
}
