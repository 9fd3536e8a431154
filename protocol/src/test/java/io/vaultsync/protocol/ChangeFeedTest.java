package io.vaultsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ChangeFeedTest {
  private final ExecutorService pool = Executors.newCachedThreadPool();

  /** A ledger in memory; {@code firstKept} > 1 simulates compaction. */
  private static final class Ledger implements ChangeFeed.Source {
    final List<Change> changes = new ArrayList<>();
    long firstKept = 1;

    synchronized long append() {
      long seq = changes.size() + 1;
      changes.add(
          new Change(
              seq,
              Change.Op.PUT,
              NotePath.of("n" + seq + ".md"),
              null,
              ContentHash.digestOf(new byte[] {(byte) seq}),
              1,
              "d",
              Instant.EPOCH));
      return seq;
    }

    @Override
    public synchronized ChangePage changesSince(String vault, long afterSeq, int limit) {
      long from = Math.max(afterSeq, firstKept - 1);
      int to = (int) Math.min(changes.size(), from + limit);
      return new ChangePage(changes.subList((int) Math.min(from, to), to), changes.size());
    }
  }

  /** Records what a listener got; fails on any out-of-order or duplicate seq. */
  private static class Recorder implements ChangeListener {
    final BlockingQueue<Long> seqs = new LinkedBlockingQueue<>();
    final BlockingQueue<IOException> closed = new LinkedBlockingQueue<>();
    volatile long last;
    volatile String error;

    Recorder(long after) {
      last = after;
    }

    @Override
    public void onChanges(List<Change> changes, long headSeq) {
      assertThat(changes).isNotEmpty();
      for (Change c : changes) {
        if (c.seq() != last + 1) {
          error = "got seq " + c.seq() + " after " + last;
        }
        last = c.seq();
        seqs.add(c.seq());
      }
    }

    @Override
    public void onClosed(IOException cause) {
      closed.add(cause);
    }

    void awaitSeq(long seq) throws InterruptedException {
      while (last < seq) {
        Long got = seqs.poll(10, TimeUnit.SECONDS);
        assertThat(got).as("seq %d arrived within 10 s (last %d)", seq, last).isNotNull();
      }
    }
  }

  @AfterEach
  void tearDown() {
    pool.shutdownNow();
  }

  @Test
  void subscriberGetsBacklogThenEveryNewChangeOnceInOrderWhilePublishersRace() throws Exception {
    long seed = System.nanoTime();
    System.out.println("ChangeFeedTest seed " + seed);
    Random random = new Random(seed);
    Ledger ledger = new Ledger();
    ChangeFeed feed = new ChangeFeed(ledger, pool);
    for (int i = 0; i < 2_500; i++) {
      ledger.append(); // a backlog of more than two pages
    }
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      long after = random.nextInt(2_500);
      Recorder r = new Recorder(after);
      recorders.add(r);
      feed.subscribe("v", after, r);
    }
    int threads = 4;
    int each = 500;
    CountDownLatch done = new CountDownLatch(threads);
    for (int t = 0; t < threads; t++) {
      pool.execute(
          () -> {
            for (int i = 0; i < each; i++) {
              long seq = ledger.append();
              feed.published("v", seq);
            }
            done.countDown();
          });
    }
    assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
    long head = 2_500 + threads * each;
    for (Recorder r : recorders) {
      r.awaitSeq(head);
      assertThat(r.error).isNull();
      assertThat(r.last).isEqualTo(head);
      assertThat(r.closed).isEmpty();
    }
  }

  @Test
  void idleSubscriberHoldsNoThreadAndWakesOnPublish() throws Exception {
    Ledger ledger = new Ledger();
    ChangeFeed feed = new ChangeFeed(ledger, pool);
    List<Recorder> recorders = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      Recorder r = new Recorder(0);
      recorders.add(r);
      feed.subscribe("v", 0, r);
    }
    assertThat(feed.subscribers("v")).isEqualTo(1_000);
    feed.published("v", ledger.append());
    for (Recorder r : recorders) {
      r.awaitSeq(1);
    }
    // The pump tasks have all returned: the pool's threads are idle, none is parked in a listener.
    pool.shutdown();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void compactedLedgerEndsTheSubscriptionWithAGapNamingTheSeq() throws Exception {
    Ledger ledger = new Ledger();
    for (int i = 0; i < 10; i++) {
      ledger.append();
    }
    ledger.firstKept = 6;
    ChangeFeed feed = new ChangeFeed(ledger, pool);
    Recorder r = new Recorder(2);
    feed.subscribe("v", 2, r);
    IOException cause = r.closed.poll(10, TimeUnit.SECONDS);
    assertThat(cause).isInstanceOf(FeedGapException.class).hasMessageContaining("after seq 2");
    assertThat(r.seqs).isEmpty();
    assertThat(feed.subscribers("v")).isZero();
  }

  @Test
  void headBehindTheSubscribersSeqIsAGap() throws Exception {
    Ledger ledger = new Ledger();
    ledger.append();
    ChangeFeed feed = new ChangeFeed(ledger, pool);
    Recorder r = new Recorder(40);
    feed.subscribe("v", 40, r);
    assertThat(r.closed.poll(10, TimeUnit.SECONDS))
        .isInstanceOf(FeedGapException.class)
        .hasMessageContaining("head is seq 1");
  }

  @Test
  void closedSubscriptionGetsNothingMoreAndNoCloseCallback() throws Exception {
    Ledger ledger = new Ledger();
    ChangeFeed feed = new ChangeFeed(ledger, pool);
    Recorder r = new Recorder(0);
    Subscription s = feed.subscribe("v", 0, r);
    feed.published("v", ledger.append());
    r.awaitSeq(1);
    s.close();
    feed.published("v", ledger.append());
    Recorder witness = new Recorder(1);
    feed.subscribe("v", 1, witness);
    witness.awaitSeq(2); // the feed has certainly pumped seq 2 by now
    assertThat(r.last).isEqualTo(1); // seq 2 never came
    assertThat(r.seqs).doesNotContain(2L);
    feed.closeAll(new RemoteUnavailableException("bye"));
    assertThat(r.closed).isEmpty();
    assertThat(witness.closed.poll(10, TimeUnit.SECONDS)).hasMessage("bye");
  }

  @Test
  void listenerThatIsNotReadyRestsWithoutAThreadUntilResumed() throws Exception {
    ExecutorService one = Executors.newSingleThreadExecutor();
    try {
      Ledger ledger = new Ledger();
      ChangeFeed feed = new ChangeFeed(ledger, one);
      java.util.concurrent.atomic.AtomicBoolean ready =
          new java.util.concurrent.atomic.AtomicBoolean();
      Recorder slow =
          new Recorder(0) {
            @Override
            public boolean ready() {
              return ready.get();
            }
          };
      Recorder fast = new Recorder(0);
      Subscription s = feed.subscribe("v", 0, slow);
      feed.subscribe("v", 0, fast);
      for (int i = 0; i < 3; i++) {
        feed.published("v", ledger.append());
      }
      fast.awaitSeq(3); // the only feed thread was not held by the slow subscriber
      assertThat(slow.seqs).isEmpty();
      ready.set(true);
      s.resume();
      slow.awaitSeq(3);
      assertThat(slow.error).isNull();
    } finally {
      one.shutdownNow();
    }
  }

  @Test
  void failingListenerEndsOnlyItsOwnSubscription() throws Exception {
    Ledger ledger = new Ledger();
    ChangeFeed feed = new ChangeFeed(ledger, pool);
    Recorder good = new Recorder(0);
    BlockingQueue<IOException> badClosed = new LinkedBlockingQueue<>();
    feed.subscribe(
        "v",
        0,
        new ChangeListener() {
          @Override
          public void onChanges(List<Change> changes, long headSeq) {
            throw new IllegalStateException("listener broke");
          }

          @Override
          public void onClosed(IOException cause) {
            badClosed.add(cause);
          }
        });
    feed.subscribe("v", 0, good);
    feed.published("v", ledger.append());
    assertThat(badClosed.poll(10, TimeUnit.SECONDS)).hasMessageContaining("listener broke");
    feed.published("v", ledger.append());
    good.awaitSeq(2);
    assertThat(feed.subscribers("v")).isEqualTo(1);
  }
}
