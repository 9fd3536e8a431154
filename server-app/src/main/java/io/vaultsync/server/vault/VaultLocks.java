package io.vaultsync.server.vault;

import io.vaultsync.server.ledger.VaultName;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Each vault's {@link VaultLock}. {@link #inProcess()} serializes the writers of this process; a
 * server of several processes (issue 15) replaces it with a lock they all share.
 */
public interface VaultLocks {
  /** The lock of {@code vault} (the same one for every call with that vault). */
  VaultLock lock(VaultName vault);

  /**
   * Fair locks in this process's memory, so a commit that queues while the mirror worker holds a
   * vault's lock gets it as soon as the worker lets go between two files. Thread-safe.
   */
  static VaultLocks inProcess() {
    Map<VaultName, VaultLock> locks = new ConcurrentHashMap<>();
    return vault ->
        locks.computeIfAbsent(
            vault,
            v -> {
              ReentrantLock lock = new ReentrantLock(true);
              return new VaultLock() {
                @Override
                public void lock() {
                  lock.lock();
                }

                @Override
                public void unlock() {
                  lock.unlock();
                }

                @Override
                public boolean hasQueuedThreads() {
                  return lock.hasQueuedThreads();
                }

                @Override
                public String toString() {
                  return "lock of vault " + v + ": " + lock;
                }
              };
            });
  }
}
