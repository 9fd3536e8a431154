package io.vaultsync.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.testkit.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The sliding-window limit behind share-password attempts. */
class AttemptLimiterTest {
  @Test
  void allowsMaxAttemptsPerWindowPerKeyThenSaysHowLongToWait() {
    ManualClock clock = new ManualClock(Instant.now());
    AttemptLimiter limiter = AttemptLimiter.inMemory(5, Duration.ofMinutes(1), clock);
    for (int i = 0; i < 5; i++) {
      assertThat(limiter.tryAcquire("10.0.0.1")).isZero();
      clock.advance(Duration.ofSeconds(1));
    }
    assertThat(limiter.tryAcquire("10.0.0.1")).isEqualTo(55);
    assertThat(limiter.tryAcquire("10.0.0.2")).as("another key").isZero();
    clock.advance(Duration.ofSeconds(55));
    assertThat(limiter.tryAcquire("10.0.0.1")).as("the first attempt left the window").isZero();
    assertThat(limiter.tryAcquire("10.0.0.1")).isPositive();
  }
}
