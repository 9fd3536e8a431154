package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The stall watchdog counts only the time spent waiting on the server, and fires once. */
class StallWatchdogTest {
  @Test
  void firesOnceWhenOneWaitLastsTheWholeTimeout() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    CountDownLatch once = new CountDownLatch(1);
    try (StallWatchdog dog =
        new StallWatchdog(
            Duration.ofMillis(100),
            () -> {
              fired.incrementAndGet();
              once.countDown();
            })) {
      dog.waiting();
      assertThat(once.await(5, TimeUnit.SECONDS)).isTrue();
      Thread.sleep(300); // several more check periods: still once
      assertThat(fired).hasValue(1);
      assertThat(dog.fired()).isTrue();
    }
  }

  @Test
  void timeOutsideTheWaitsNeverCounts() throws Exception {
    AtomicInteger fired = new AtomicInteger();
    try (StallWatchdog dog = new StallWatchdog(Duration.ofSeconds(1), fired::incrementAndGet)) {
      // waits of 10 ms, with the client's own work (a slow disk) between them: 1.2 s in all
      for (int i = 0; i < 60; i++) {
        dog.waiting();
        Thread.sleep(10);
        dog.progressed();
        Thread.sleep(10);
      }
      assertThat(fired).hasValue(0);
      assertThat(dog.fired()).isFalse();
    }
  }
}
