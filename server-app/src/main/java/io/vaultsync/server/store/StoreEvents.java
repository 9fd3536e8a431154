package io.vaultsync.server.store;

import io.vaultsync.core.hash.ContentHash;
import java.util.Collection;

/**
 * What a {@link PackContentStore} tells its owner as it happens: content it found damaged (it then
 * stops serving that copy), and content that became stored (a commit, a repack, a gift from a
 * client). The server keeps its set of wanted content with these. Called on the thread that found
 * or stored it; implementations must be quick and thread-safe.
 */
public interface StoreEvents {
  /** No one listens. */
  StoreEvents NONE =
      new StoreEvents() {
        @Override
        public void damaged(ContentHash hash, long size, String where, String why) {}

        @Override
        public void stored(Collection<ContentHash> hashes) {}
      };

  /**
   * The copy of {@code hash} at {@code where} ({@code size} bytes of content) is damaged: {@code
   * why}. The store no longer serves it.
   */
  void damaged(ContentHash hash, long size, String where, String why);

  /** These objects are stored now (committed and readable). */
  void stored(Collection<ContentHash> hashes);
}
