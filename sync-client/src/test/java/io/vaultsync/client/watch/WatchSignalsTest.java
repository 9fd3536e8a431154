package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(30)
class WatchSignalsTest {
  private static final Duration DEBOUNCE = Duration.ofMillis(40);
  private static final Duration MAX = Duration.ofMillis(400);

  @Test
  void burstOfLocalEventsBecomesOneBatchAfterTheQuietPeriod() throws Exception {
    WatchSignals s = new WatchSignals();
    long start = System.nanoTime();
    s.local(Path.of(".note.md.swp"));
    s.local(Path.of("note.md"));
    s.local(Path.of("note.md"));
    WatchSignals.Batch b = s.await(0, DEBOUNCE, MAX);
    long waited = (System.nanoTime() - start) / 1_000_000;
    assertThat(b.local()).containsExactlyInAnyOrder(Path.of(".note.md.swp"), Path.of("note.md"));
    assertThat(b.remote()).isFalse();
    assertThat(waited).isGreaterThanOrEqualTo(DEBOUNCE.toMillis() - 1);
  }

  @Test
  void eventsThatNeverGoQuietAreDueAtTheMaximumDelayAfterTheFirst() {
    long first = 1_000_000_000L;
    long ms = 1_000_000L;
    // A quiet burst: due one debounce after its last event.
    assertThat(WatchSignals.due(first, first + 10 * ms, DEBOUNCE, MAX)).isEqualTo(first + 50 * ms);
    // Events every few ms for a second: due at the maximum delay, not never.
    assertThat(WatchSignals.due(first, first + 1_000 * ms, DEBOUNCE, MAX))
        .isEqualTo(first + 400 * ms);
  }

  @Test
  void remoteChangeBeyondTheAppliedSeqWakesAtOnceAndOwnSeqsDoNot() throws Exception {
    WatchSignals s = new WatchSignals();
    s.remote(7); // the client's own commit, already applied
    CompletableFuture<WatchSignals.Batch> batch =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return s.await(7, Duration.ofHours(1), Duration.ofHours(1));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    assertThat(batch.completeOnTimeout(null, 100, TimeUnit.MILLISECONDS).get()).isNull();
    s.stop(); // releases the waiting thread
    WatchSignals t = new WatchSignals();
    t.local(Path.of("a.md"));
    t.remote(8);
    WatchSignals.Batch b = t.await(7, Duration.ofHours(1), Duration.ofHours(1));
    assertThat(b.remote()).isTrue();
    assertThat(b.local()).containsExactly(Path.of("a.md")); // taken along: the sync scans anyway
  }

  @Test
  void lostFeedAndStopComeFirst() throws Exception {
    WatchSignals s = new WatchSignals();
    s.local(Path.of("a.md"));
    s.lost(new IOException("cut"));
    assertThat(s.await(0, DEBOUNCE, MAX).lost()).hasMessage("cut");
    s.stop();
    assertThat(s.await(0, DEBOUNCE, MAX).stop()).isTrue();
    assertThat(s.sleep(Duration.ofHours(1))).isTrue();
  }

  /**
   * After a batch that deleted a synced file, the loop takes the events that arrive within the
   * settle time (the rename's other half) and leaves the rest for the next batch.
   */
  @Test
  void moreLocalTakesTheEventsOfTheSettleTimeAndLeavesRemoteChanges() throws Exception {
    WatchSignals s = new WatchSignals();
    CompletableFuture<Void> later =
        CompletableFuture.runAsync(
            () -> {
              try {
                Thread.sleep(20);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
              s.local(Path.of("renamed.md"));
              s.remote(7);
            });
    assertThat(s.moreLocal(Duration.ofMillis(300))).containsExactly(Path.of("renamed.md"));
    later.get(5, TimeUnit.SECONDS);
    WatchSignals.Batch next = s.await(0, DEBOUNCE, MAX);
    assertThat(next.remote()).isTrue();
    assertThat(next.local()).isEmpty();
  }

  @Test
  void requeuedBatchIsSeenAgain() throws Exception {
    WatchSignals s = new WatchSignals();
    s.local(Path.of("a.md"));
    WatchSignals.Batch b = s.await(0, Duration.ZERO, MAX);
    s.requeue(b);
    assertThat(s.await(0, Duration.ZERO, MAX).local()).containsExactly(Path.of("a.md"));
  }
}
