package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The storage benchmark at a toy size: it runs, saves bytes and reads every version back. */
class HistoryStorageBenchmarkTest {
  @TempDir Path tmp;

  @Test
  @Timeout(120)
  void aSmallWeekOfEditsShrinksTheStoreAndEveryVersionReadsBack() throws Exception {
    HistoryStorageBenchmark bench = new HistoryStorageBenchmark();
    bench.notes = 30;
    bench.days = 2;
    bench.editsPerDay = 40;
    bench.seed = 7;
    ByteArrayOutputStream text = new ByteArrayOutputStream();
    bench.out = new PrintStream(text, true, StandardCharsets.UTF_8);
    HistoryStorageBenchmark.Result r = bench.run(tmp);
    bench.report(r);
    assertThat(r.versions()).isGreaterThan(100);
    assertThat(r.repack().deltas()).isPositive();
    assertThat(r.storeAfter()).isLessThan(r.storeBefore());
    assertThat(r.verified()).isEqualTo(r.distinctObjects());
    assertThat(text.toString(StandardCharsets.UTF_8)).contains("seed 7").contains("saved:");
  }
}
