package io.vaultsync.server.vault;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangePage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The last changes recorded in one vault, in memory, so the change feed can hand a new change to a
 * thousand subscribers without a thousand ledger reads. Filled by the writer after each ledger
 * commit (under the vault's lock, so it is never behind the ledger for a seq it covers); a read it
 * cannot answer from memory (older seqs, or nothing recorded since the start) returns null and the
 * caller reads the ledger. Thread-safe.
 */
final class RecentChanges {
  private final int capacity;
  private final ArrayDeque<Change> changes = new ArrayDeque<>();

  RecentChanges(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity " + capacity + "; expected >= 1");
    }
    this.capacity = capacity;
  }

  /** Adds changes just committed, which continue the seqs held (or start them). */
  synchronized void add(List<Change> recorded) {
    for (Change c : recorded) {
      if (!changes.isEmpty() && c.seq() != changes.peekLast().seq() + 1) {
        changes.clear(); // not contiguous (cannot happen under the vault lock); start over
      }
      changes.addLast(c);
      if (changes.size() > capacity) {
        changes.removeFirst();
      }
    }
  }

  /**
   * The changes after {@code afterSeq}, at most {@code limit}, with the head seq; or null when the
   * memory does not reach back to {@code afterSeq + 1}.
   */
  synchronized ChangePage after(long afterSeq, int limit) {
    if (changes.isEmpty()) {
      return null;
    }
    long first = changes.peekFirst().seq();
    long head = changes.peekLast().seq();
    if (afterSeq + 1 < first || afterSeq > head) {
      return null;
    }
    List<Change> out = new ArrayList<>((int) Math.min(limit, head - afterSeq));
    for (Change c : changes) {
      if (c.seq() > afterSeq) {
        out.add(c);
        if (out.size() == limit) {
          break;
        }
      }
    }
    return new ChangePage(out, head);
  }
}
