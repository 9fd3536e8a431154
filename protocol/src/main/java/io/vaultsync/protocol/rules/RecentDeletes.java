package io.vaultsync.protocol.rules;

import io.vaultsync.protocol.DeleteLimits;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * The deletes each device committed recently without the mass-delete flag, per vault: the state
 * behind {@link DeleteLimits#WINDOW}. {@link #inMemory()} keeps it in this process; a server that
 * runs as several processes keeps it where they all see it.
 */
public interface RecentDeletes {
  /** The deletes {@code device} committed to {@code vault} at or after {@code fromMillis}. */
  long since(String vault, String device, long fromMillis);

  /**
   * Records that {@code device} committed {@code deletes} deletes to {@code vault} at {@code
   * atMillis}.
   */
  void add(String vault, String device, long atMillis, long deletes);

  /** A window in this process's memory. Thread-safe. */
  static RecentDeletes inMemory() {
    return new RecentDeletes() {
      /** Per vault and device: (epoch millis, deletes), oldest first. */
      private final Map<String, ArrayDeque<long[]>> recent = new HashMap<>();

      @Override
      public synchronized long since(String vault, String device, long fromMillis) {
        ArrayDeque<long[]> q = recent.get(key(vault, device));
        if (q == null) {
          return 0;
        }
        while (!q.isEmpty() && q.peekFirst()[0] < fromMillis) {
          q.pollFirst();
        }
        if (q.isEmpty()) {
          recent.remove(key(vault, device));
          return 0;
        }
        return q.stream().mapToLong(e -> e[1]).sum();
      }

      @Override
      public synchronized void add(String vault, String device, long atMillis, long deletes) {
        recent
            .computeIfAbsent(key(vault, device), k -> new ArrayDeque<>())
            .addLast(new long[] {atMillis, deletes});
      }

      private static String key(String vault, String device) {
        return vault + "\u0000" + device;
      }
    };
  }
}
