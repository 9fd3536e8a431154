package io.vaultsync.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class SeqAtMillisTest {
  @Test
  void anOrdinaryTimeIsItsEpochMillis() {
    Instant t = Instant.parse("2026-12-07T21:30:00.123Z");
    assertThat(HistoryProtocol.seqAtMillis(t)).isEqualTo(t.toEpochMilli());
  }

  @Test
  void timesBeyondALongOfMillisClampToItsEnds() {
    assertThat(HistoryProtocol.seqAtMillis(Instant.MIN)).isEqualTo(Long.MIN_VALUE);
    assertThat(HistoryProtocol.seqAtMillis(Instant.MAX)).isEqualTo(Long.MAX_VALUE);
  }
}
