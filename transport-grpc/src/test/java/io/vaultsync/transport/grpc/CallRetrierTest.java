package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.ConnectionLostException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteStalledException;
import io.vaultsync.protocol.RemoteUnavailableException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What is retried, how often, and what is not. */
class CallRetrierTest {
  private static final RetryPolicy QUICK =
      new RetryPolicy(4, Duration.ofMillis(1), Duration.ofMillis(4), Duration.ofSeconds(30));

  private final List<IOException> beforeRetry = new ArrayList<>();
  private final CallRetrier retrier = new CallRetrier(QUICK, beforeRetry::add);

  private static IOException lost() {
    return new ConnectionLostException("reading", "UNAVAILABLE: reset");
  }

  @Test
  void aLostConnectionIsRetriedUntilTheCallSucceeds() throws IOException {
    AtomicInteger tries = new AtomicInteger();
    String answer =
        retrier.call(
            () -> {
              if (tries.incrementAndGet() < 3) {
                throw lost();
              }
              return "ok";
            });
    assertThat(answer).isEqualTo("ok");
    assertThat(tries).hasValue(3);
    assertThat(beforeRetry).hasSize(2);
  }

  /**
   * Runs a call that fails with {@code failure} every time; asserts the retrier gave up with it and
   * returns how many times the call ran.
   */
  private int triesOfACallThatAlwaysFails(IOException failure) {
    AtomicInteger tries = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retrier.call(
                    () -> {
                      tries.incrementAndGet();
                      throw failure;
                    }))
        .isSameAs(failure);
    return tries.get();
  }

  @Test
  void theLastFailureIsThrownAfterMaxAttempts() {
    assertThat(triesOfACallThatAlwaysFails(lost())).isEqualTo(4);
  }

  @Test
  void anUnreachableServerAndTheServersOwnAnswersAreNotRetried() {
    for (IOException e :
        List.of(
            new RemoteUnavailableException("UNAVAILABLE: Connection refused"),
            new NotFoundException("no vault \"x\""),
            new IOException("disk full"))) {
      assertThat(triesOfACallThatAlwaysFails(e)).as(e.toString()).isEqualTo(1);
    }
  }

  @Test
  void aStalledCallIsRetriedOnceOnly() {
    assertThat(
            triesOfACallThatAlwaysFails(
                new RemoteStalledException("reading", Duration.ofSeconds(30))))
        .isEqualTo(2);
  }

  @Test
  void progressStartsTheCountAgainButTheBudgetStillEndsIt() throws IOException {
    CallRetrier.Attempts attempts = retrier.begin();
    for (int i = 0; i < 10; i++) {
      attempts.failed(lost(), System.nanoTime());
      attempts.progressed();
    }
    CallRetrier spent =
        new CallRetrier(
            new RetryPolicy(100, Duration.ZERO, Duration.ZERO, Duration.ofMillis(50)), e -> {});
    CallRetrier.Attempts budgeted = spent.begin();
    long tenthOfASecondAgo = System.nanoTime() - Duration.ofMillis(100).toNanos();
    assertThatThrownBy(() -> budgeted.failed(lost(), tenthOfASecondAgo))
        .isInstanceOf(ConnectionLostException.class);
  }

  @Test
  void backoffDoublesUpToItsMaximum() {
    RetryPolicy p =
        new RetryPolicy(10, Duration.ofMillis(500), Duration.ofSeconds(4), Duration.ofMinutes(2));
    assertThat(List.of(p.backoff(1), p.backoff(2), p.backoff(3), p.backoff(4), p.backoff(5)))
        .containsExactly(
            Duration.ofMillis(500),
            Duration.ofSeconds(1),
            Duration.ofSeconds(2),
            Duration.ofSeconds(4),
            Duration.ofSeconds(4));
  }
}
