package io.vaultsync.benchmarks.live;

import io.vaultsync.protocol.Change;
import io.vaultsync.protocol.ChangeListener;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A subscriber that records {@link System#nanoTime()} at the delivery of each seq and checks that
 * seqs arrive in order, each exactly once: a gap, a repeat or the feed ending is kept as this
 * subscriber's first problem. A shared {@link Barrier} counts the subscribers that got a given seq.
 * Deliveries to one subscriber never overlap (the transport serializes them).
 */
public final class RecordingListener implements ChangeListener {
  /** Counts subscribers as they pass one seq; arm it before the change is made. */
  public static final class Barrier {
    private volatile long seq = Long.MAX_VALUE;
    private volatile CountDownLatch latch = new CountDownLatch(0);

    /** From now on, counts the subscribers (of {@code parties}) that reach {@code target}. */
    public synchronized void arm(long target, int parties) {
      latch = new CountDownLatch(parties);
      seq = target;
    }

    /** Whether every subscriber reached the armed seq within {@code millis}. */
    public boolean await(long millis) throws InterruptedException {
      return latch.await(millis, TimeUnit.MILLISECONDS);
    }

    /** Subscribers still short of the armed seq. */
    public long missing() {
      return latch.getCount();
    }

    void passed(long before, long after) {
      long s = seq;
      if (before < s && after >= s) {
        latch.countDown();
      }
    }
  }

  private final long afterSeq;
  private final long[] arrivalNanos;
  private final Barrier barrier;
  private long last;
  private volatile String problem;

  /**
   * Records seqs {@code afterSeq + 1 .. afterSeq + capacity} (later ones are checked for order but
   * not timed).
   */
  public RecordingListener(long afterSeq, int capacity, Barrier barrier) {
    this.afterSeq = afterSeq;
    this.last = afterSeq;
    this.arrivalNanos = new long[capacity];
    this.barrier = barrier;
  }

  @Override
  public void onChanges(List<Change> changes, long headSeq) {
    long now = System.nanoTime();
    long before = last;
    for (Change c : changes) {
      if (c.seq() != last + 1) {
        if (problem == null) {
          problem = "seq " + c.seq() + " arrived after " + last + " (gap or repeat)";
        }
        continue;
      }
      last = c.seq();
      int i = (int) (last - afterSeq - 1);
      if (i < arrivalNanos.length) {
        arrivalNanos[i] = now;
      }
    }
    barrier.passed(before, last);
  }

  @Override
  public void onClosed(IOException cause) {
    if (problem == null) {
      problem = "feed ended: " + cause;
    }
  }

  /** When {@code seq} arrived ({@link System#nanoTime()}), or 0 if it did not (yet). */
  public long arrival(long seq) {
    int i = (int) (seq - afterSeq - 1);
    return i >= 0 && i < arrivalNanos.length ? arrivalNanos[i] : 0;
  }

  /** The first thing that went wrong, or null. */
  public String problem() {
    return problem;
  }
}
