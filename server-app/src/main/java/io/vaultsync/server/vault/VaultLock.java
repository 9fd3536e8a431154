package io.vaultsync.server.vault;

/**
 * The lock that serializes writes to one vault: the stale checks, the ledger append and the
 * master-folder writes happen under it. Reentrant for the thread that holds it.
 */
public interface VaultLock {
  /** Waits until this thread holds the lock. */
  void lock();

  /** Lets go of the lock this thread holds. */
  void unlock();

  /**
   * Whether another writer waits for the lock: the mirror worker lets go between two files then, so
   * a commit never waits for a whole mirror pass.
   */
  boolean hasQueuedThreads();
}
