package io.vaultsync.benchmarks.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FeedWatchTest {
  @Test
  void eachSeqOnceAndInOrderUpToTheHeadIsClean() {
    assertThat(FeedWatch.problems(List.of(1L, 2L, 3L, 4L), 4)).isZero();
    assertThat(FeedWatch.problems(List.of(), 0)).isZero();
  }

  @Test
  void aSeqDeliveredTwiceCounts() {
    // a resubscription that replayed seq 2
    assertThat(FeedWatch.problems(List.of(1L, 2L, 2L, 3L), 3)).isEqualTo(1);
  }

  @Test
  void aSeqSkippedOverCounts() {
    assertThat(FeedWatch.problems(List.of(1L, 2L, 4L, 5L), 5)).isEqualTo(1);
  }

  @Test
  void seqsUpToTheHeadNeverDeliveredCount() {
    assertThat(FeedWatch.problems(List.of(1L, 2L), 5)).isEqualTo(3);
  }

  @Test
  void aSeqOutOfOrderCounts() {
    assertThat(FeedWatch.problems(List.of(1L, 3L, 2L), 3)).isPositive();
  }
}
