package io.vaultsync.server.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * What a subscription delivered and how it ended, for a test to wait on: every change received, the
 * next ones not yet taken, and the cause it was closed with. Thread-safe.
 */
public final class SubscriptionRecorder implements ChangeListener {
  private static final Duration WAIT = Duration.ofSeconds(10);

  private final List<Change> received = new CopyOnWriteArrayList<>();
  private final BlockingQueue<Change> untaken = new LinkedBlockingQueue<>();
  private final BlockingQueue<IOException> closed = new LinkedBlockingQueue<>();

  @Override
  public void onChanges(List<Change> batch, long headSeq) {
    received.addAll(batch);
    untaken.addAll(batch);
  }

  @Override
  public void onClosed(IOException cause) {
    closed.add(cause);
  }

  /** Every change delivered so far, in order. */
  public List<Change> received() {
    return List.copyOf(received);
  }

  /** The next {@code n} changes not taken yet, each awaited up to 10 s (fails if one is not). */
  public List<Change> take(int n) throws InterruptedException {
    List<Change> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Change c = untaken.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
      assertThat(c).as("change %d of %d within %s", i + 1, n, WAIT).isNotNull();
      out.add(c);
    }
    return out;
  }

  /** The cause the subscription was closed with, awaited up to 10 s; null if it was not. */
  public IOException awaitClosed() throws InterruptedException {
    return closed.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The cause the subscription was closed with, or null while it is open. */
  public IOException closedBy() {
    return closed.peek();
  }
}
