package io.vaultsync.client.sync;

import io.vaultsync.client.state.StateFolder;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.ignore.IgnoreRules;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The fingerprint of the ignore rules a sync ran with (the built-in defaults and the folder's rules
 * file), kept in the state folder to tell when the rules changed between syncs.
 */
final class IgnoreFingerprint {
  private IgnoreFingerprint() {}

  /**
   * Whether the rules differ from those of the last completed sync (none recorded counts as the
   * built-in defaults alone). Then the remote view is built from the whole manifest once: files
   * that were ignored may have changed on the server while this folder skipped their changes.
   */
  static boolean changed(StateFolder state, IgnoreRules rules) throws IOException {
    String last = state.ignoreFingerprint();
    String now = of(rules);
    return last == null ? !now.equals(of(IgnoreRules.DEFAULT)) : !last.equals(now);
  }

  static String of(IgnoreRules rules) {
    String all = String.join("\n", IgnoreRules.DEFAULT_PATTERNS) + "\u0000" + rules.text();
    return ContentHash.digestOf(all.getBytes(StandardCharsets.UTF_8)).hex();
  }
}
