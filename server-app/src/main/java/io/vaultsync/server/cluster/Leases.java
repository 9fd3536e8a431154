package io.vaultsync.server.cluster;

import java.io.IOException;
import java.time.Duration;

/**
 * Named leases, so that work that must run once (snapshots, thinning, repack, content GC, the
 * master folders) runs in one server process at a time. A lease is held for a while and must be
 * renewed before it runs out; when its holder dies, another takes it once it has run out.
 * Thread-safe.
 */
public interface Leases {
  /**
   * Takes or renews the lease {@code name} for {@code ttl} from now.
   *
   * @return whether this process holds it now (false: another process does)
   */
  boolean hold(String name, Duration ttl) throws IOException;

  /** Lets go of {@code name} if this process holds it. */
  void release(String name) throws IOException;

  /** One server process alone: it holds every lease. */
  static Leases alone() {
    return new Leases() {
      @Override
      public boolean hold(String name, Duration ttl) {
        return true;
      }

      @Override
      public void release(String name) {}
    };
  }
}
