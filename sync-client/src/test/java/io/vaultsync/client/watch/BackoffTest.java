package io.vaultsync.client.watch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class BackoffTest {
  @Test
  void delaysDoubleWithinJitterUpToTheMaximumAndResetToTheMinimum() {
    long seed = System.nanoTime();
    System.out.println("BackoffTest seed " + seed);
    Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2), seed);
    long step = 100;
    for (int i = 0; i < 12; i++) {
      long d = b.next().toMillis();
      assertThat(d).as("attempt %d (step %d ms)", i, step).isBetween(step / 2 - 1, step);
      step = Math.min(2_000, step * 2);
    }
    b.reset();
    assertThat(b.next().toMillis()).isBetween(49L, 100L);
  }

  @Test
  void clientsCutOffTogetherDoNotRetryInLockstep() {
    List<Long> firstRetries = new ArrayList<>();
    for (int client = 0; client < 50; client++) {
      Backoff b = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), client);
      firstRetries.add(b.next().toMillis());
    }
    assertThat(new HashSet<>(firstRetries)).hasSizeGreaterThan(40);
  }
}
