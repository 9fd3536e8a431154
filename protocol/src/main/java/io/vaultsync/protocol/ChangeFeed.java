package io.vaultsync.protocol;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Turns a pageable ledger ({@link Source}) and "the head of vault V moved" signals ({@link
 * #published}) into one ordered, gap-free stream of changes per subscriber: what a backend needs to
 * implement {@link VaultTransport#subscribe}.
 *
 * <p>Each subscriber remembers the last seq it was given. A signal only schedules a pump task for
 * the subscribers behind the new head; the task reads pages after that seq from the source and
 * hands them to the listener, so a subscriber that starts behind (catch-up after days offline) or
 * falls behind (a slow listener) gets every change exactly once, and an idle subscriber costs a few
 * objects and no thread. At most one pump runs per subscriber at a time; a signal during a pump
 * makes it look again, so none is lost. Listeners may block (backpressure): only their own
 * subscription waits, provided the executor has threads to spare (a cached pool does).
 *
 * <p>Thread-safe.
 */
public final class ChangeFeed {
  /** Where the changes come from: usually the backend's own {@code changesSince}. */
  @FunctionalInterface
  public interface Source {
    ChangePage changesSince(String vault, long afterSeq, int limit) throws IOException;
  }

  /** Changes handed to a listener in one call, at most. */
  public static final int PAGE = 1000;

  private final Source source;

  /** The same ledger with folder moves as one change each ({@link FolderMoves}). */
  private final Source folderSource;

  private final Executor executor;
  private final Map<String, Set<Subscriber>> byVault = new ConcurrentHashMap<>();

  public ChangeFeed(Source source, Executor executor) {
    this(source, source, executor);
  }

  /**
   * A feed that reads {@code folderSource} for a subscriber that asked for folder moves and {@code
   * source} for the others.
   */
  public ChangeFeed(Source source, Source folderSource, Executor executor) {
    this.folderSource = Objects.requireNonNull(folderSource, "folderSource");
    this.source = Objects.requireNonNull(source, "source");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  /**
   * Starts delivering the changes of {@code vault} after {@code afterSeq} to {@code listener}: the
   * backlog at once, then each change as {@link #published} signals it.
   */
  public Subscription subscribe(String vault, long afterSeq, ChangeListener listener) {
    return subscribe(vault, afterSeq, listener, false);
  }

  /** {@link #subscribe(String, long, ChangeListener)}, reading folder moves when asked. */
  public Subscription subscribe(
      String vault, long afterSeq, ChangeListener listener, boolean folderMoves) {
    Objects.requireNonNull(vault, "vault");
    Objects.requireNonNull(listener, "listener");
    if (afterSeq < 0) {
      throw new IllegalArgumentException("subscribe after seq " + afterSeq + "; expected >= 0");
    }
    Subscriber s = new Subscriber(vault, afterSeq, listener, folderMoves ? folderSource : source);
    byVault.computeIfAbsent(vault, v -> ConcurrentHashMap.newKeySet()).add(s);
    s.schedule();
    return s;
  }

  /** Signals that {@code vault}'s changes up to {@code headSeq} are recorded and readable. */
  public void published(String vault, long headSeq) {
    Set<Subscriber> subs = byVault.get(vault);
    if (subs == null) {
      return;
    }
    for (Subscriber s : subs) {
      if (s.delivered < headSeq) {
        s.schedule();
      }
    }
  }

  /** Live subscriptions of {@code vault}. */
  public int subscribers(String vault) {
    Set<Subscriber> subs = byVault.get(vault);
    return subs == null ? 0 : subs.size();
  }

  /** The vaults with live subscriptions now. */
  public java.util.Set<String> subscribedVaults() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    byVault.forEach(
        (vault, subs) -> {
          if (!subs.isEmpty()) {
            out.add(vault);
          }
        });
    return out;
  }

  /** Ends every subscription, telling each listener {@code why}. */
  public void closeAll(IOException why) {
    for (Set<Subscriber> subs : byVault.values()) {
      for (Subscriber s : subs) {
        s.end(why);
      }
    }
  }

  private final class Subscriber implements Subscription, Runnable {
    private static final int IDLE = 0;
    private static final int SCHEDULED = 1;
    private static final int RUNNING = 2;
    private static final int RUNNING_AGAIN = 3;

    final String vault;
    final ChangeListener listener;
    final Source pages;
    volatile long delivered;
    final AtomicBoolean closed = new AtomicBoolean();
    final AtomicInteger state = new AtomicInteger(IDLE);

    Subscriber(String vault, long afterSeq, ChangeListener listener, Source pages) {
      this.pages = pages;
      this.vault = vault;
      this.delivered = afterSeq;
      this.listener = listener;
    }

    void schedule() {
      while (!closed.get()) {
        int s = state.get();
        if (s == SCHEDULED || s == RUNNING_AGAIN) {
          return;
        }
        int next = s == IDLE ? SCHEDULED : RUNNING_AGAIN;
        if (state.compareAndSet(s, next)) {
          if (next == SCHEDULED) {
            try {
              executor.execute(this);
            } catch (RejectedExecutionException e) {
              end(new RemoteUnavailableException("the change feed is shutting down"));
            }
          }
          return;
        }
      }
    }

    @Override
    public void run() {
      state.set(RUNNING);
      while (!closed.get()) {
        try {
          pumpOnce();
        } catch (IOException e) {
          end(e);
          return;
        } catch (RuntimeException e) {
          // The listener failed: it can no longer take changes, so the subscription ends.
          end(new IOException("change listener failed: " + e, e));
          return;
        }
        if (state.compareAndSet(RUNNING, IDLE)) {
          return;
        }
        state.set(RUNNING); // a signal came while pumping: look again
      }
    }

    private void pumpOnce() throws IOException {
      while (!closed.get()) {
        if (!listener.ready()) {
          return; // rests until resume()
        }
        long after = delivered;
        ChangePage page = pages.changesSince(vault, after, PAGE);
        if (page.headSeq() < after) {
          throw new FeedGapException(
              vault, after, "the vault's head is seq " + page.headSeq() + ", behind it");
        }
        List<Change> changes = page.changes();
        if (changes.isEmpty()) {
          if (page.headSeq() > after) {
            throw new FeedGapException(
                vault, after, "the ledger no longer holds the changes after it");
          }
          return;
        }
        long first = changes.get(0).firstSeq();
        if (first != after + 1) {
          throw new FeedGapException(
              vault, after, "the ledger continues at seq " + first + " (compacted)");
        }
        listener.onChanges(changes, page.headSeq());
        delivered = changes.get(changes.size() - 1).seq();
        if (!page.hasMore()) {
          return;
        }
      }
    }

    void end(IOException why) {
      if (remove()) {
        listener.onClosed(why);
      }
    }

    private boolean remove() {
      if (!closed.compareAndSet(false, true)) {
        return false;
      }
      Set<Subscriber> subs = byVault.get(vault);
      if (subs != null) {
        subs.remove(this);
      }
      return true;
    }

    @Override
    public void resume() {
      schedule();
    }

    @Override
    public void close() {
      remove();
    }
  }
}
