package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.benchmarks.BenchmarkTargets.Cell;
import io.vaultsync.benchmarks.BenchmarkTargets.Line;
import io.vaultsync.benchmarks.VaultBenchmark.Result;
import io.vaultsync.benchmarks.VaultBenchmark.Row;
import io.vaultsync.benchmarks.wan.Link;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Issue 16's targets judged from fixed figures: met, missed and n/a where each belongs. */
class BenchmarkTargetsTest {
  private static final long MS = 1_000_000;

  /**
   * A result where rsync takes 1 s and 1,000 bytes in every scenario, rsync -z 1 s and 500 bytes,
   * and vaultsync takes {@code vsMillis[i]} and {@code vsBytes[i]} in scenario i; vaultsync's live
   * row has p50 {@code liveP50} and p99 {@code liveP99} ms; RSS as given (MiB).
   */
  private static Result result(
      int notes,
      Link link,
      long[] vsMillis,
      long[] vsBytes,
      long liveP50,
      long liveP99,
      long serverMib,
      long clientMib) {
    Map<String, List<Row>> byTool = new LinkedHashMap<>();
    List<Row> vs = new ArrayList<>();
    List<Row> rsync = new ArrayList<>();
    List<Row> rsyncZ = new ArrayList<>();
    for (int i = 0; i < VaultBenchmark.SCENARIOS.size(); i++) {
      String sc = VaultBenchmark.SCENARIOS.get(i);
      boolean live = i == VaultBenchmark.LIVE;
      vs.add(
          new Row(
              sc,
              3,
              live ? liveP50 * MS : vsMillis[i] * MS,
              vsBytes[i],
              0,
              1,
              clientMib * 1024,
              1,
              serverMib * 1024,
              live ? liveP50 * MS : -1,
              live ? liveP99 * MS : -1));
      Row na = new Row(sc, 3, -1, -1, -1, -1, -1, -1, -1, -1, -1);
      rsync.add(live ? na : new Row(sc, 3, 1000 * MS, 1000, 0, 1, 8 * 1024, 1, 8 * 1024, -1, -1));
      rsyncZ.add(live ? na : new Row(sc, 3, 1000 * MS, 500, 0, 1, 8 * 1024, 1, 8 * 1024, -1, -1));
    }
    byTool.put(VaultBenchmark.VAULTSYNC, vs);
    byTool.put(VaultBenchmark.RSYNC, rsync);
    byTool.put(VaultBenchmark.RSYNC_Z, rsyncZ);
    return new Result(notes, notes * 4000L, 3, vs, byTool, null, link);
  }

  private static Line line(List<Line> lines, String target, String subject) {
    return lines.stream()
        .filter(l -> l.target().startsWith(target) && l.subject().equals(subject))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no line " + target + ", " + subject));
  }

  private static final long[] FAST = {500, 500, 500, 500, 500, 500, 2000, 0};

  @Test
  void eachTargetIsMetOrMissedFromTheFiguresPerLink() {
    long[] small = {450, 550, 10, 10, 10, 300, 1, 100};
    long[] large = {450, 550, 10, 10, 10, 400, 1, 100}; // folder rename 400 B: 1.33x of 300
    List<Result> results =
        List.of(
            result(1000, Link.LOOPBACK, FAST, small, 20, 90, 200, 100),
            result(1000, Link.WAN, FAST, small, 80, 150, 200, 100),
            result(50000, Link.LOOPBACK, FAST, large, 24, 120, 300, 100),
            result(50000, Link.WAN, FAST, large, 90, 160, 300, 100));

    List<Line> lines = BenchmarkTargets.evaluate(results);

    Cell init = line(lines, "wall time", "first upload (init)").cells().get(Link.LOOPBACK);
    assertThat(init.met()).isTrue();
    assertThat(init.values()).isEqualTo("0.50× / 0.50× (1,000 / 50,000 notes)");
    Cell noop = line(lines, "wall time", "no-op sync").cells().get(Link.WAN);
    assertThat(noop.met()).isFalse();
    assertThat(noop.markdown()).startsWith("**missed**: 2.00×");
    // bytes against rsync -z (500 B): init 450 met, clone 550 missed
    assertThat(line(lines, "bytes ≤", "first upload (init)").cells().get(Link.WAN).met()).isTrue();
    assertThat(line(lines, "bytes ≤", "clone").cells().get(Link.WAN).met()).isFalse();
    Cell folder = line(lines, "bytes constant", "folder rename").cells().get(Link.LOOPBACK);
    assertThat(folder.met()).isTrue();
    assertThat(folder.values()).startsWith("300 B / 400 B");
    // live: judged on loopback; p99 120 ms at 50,000 misses; the WAN link is informational
    String live = VaultBenchmark.SCENARIOS.get(VaultBenchmark.LIVE);
    assertThat(line(lines, "live p50", live).cells().get(Link.LOOPBACK).met()).isTrue();
    assertThat(line(lines, "live p99", live).cells().get(Link.LOOPBACK).met()).isFalse();
    Cell wanLive = line(lines, "live p50", live).cells().get(Link.WAN);
    assertThat(wanLive.met()).isNull();
    assertThat(wanLive.values()).contains("80.0 ms / 90.0 ms", "RTT");
    // server 300 MiB at 50,000 misses 256; client 100 MiB meets 128
    Cell server =
        line(lines, "server peak RSS", "largest over the scenarios").cells().get(Link.LOOPBACK);
    assertThat(server.met()).isFalse();
    assertThat(server.values()).startsWith("200 MiB / 300 MiB");
    assertThat(
            line(lines, "client peak RSS", "largest over the scenarios")
                .cells()
                .get(Link.WAN)
                .met())
        .isTrue();

    String table = BenchmarkTargets.table(results);
    assertThat(table)
        .startsWith("| target | scenario | Loopback | WAN-shaped link (50 ms RTT, 20 Mbit/s) |")
        .contains("**met**", "**missed**", "n/a");
  }

  @Test
  void folderRenameBytesThatGrowWithTheVaultMissAndOneSizeCannotTell() {
    long[] small = {450, 550, 10, 10, 10, 300, 1, 100};
    long[] grown = {450, 550, 10, 10, 10, 15000, 1, 100}; // one move per file
    Result a = result(1000, Link.LOOPBACK, FAST, small, 20, 90, 200, 100);
    Result b = result(50000, Link.LOOPBACK, FAST, grown, 20, 90, 200, 100);

    Cell two =
        line(BenchmarkTargets.evaluate(List.of(a, b)), "bytes constant", "folder rename")
            .cells()
            .get(Link.LOOPBACK);
    Cell one =
        line(BenchmarkTargets.evaluate(List.of(a)), "bytes constant", "folder rename")
            .cells()
            .get(Link.LOOPBACK);

    assertThat(two.met()).isFalse();
    assertThat(one.met()).isNull();
    assertThat(one.values()).contains("one size only");
  }

  @Test
  void withoutRsyncTheRatiosAreNotApplicable() {
    Result r = result(1000, Link.LOOPBACK, FAST, FAST, 20, 90, 200, 100);
    Map<String, List<Row>> only = Map.of(VaultBenchmark.VAULTSYNC, r.rows());
    Result alone = new Result(1000, 4_000_000, 3, r.rows(), only, null, Link.LOOPBACK);

    Cell c =
        line(BenchmarkTargets.evaluate(List.of(alone)), "wall time", "clone")
            .cells()
            .get(Link.LOOPBACK);

    assertThat(c.met()).isNull();
    assertThat(c.markdown()).startsWith("n/a: n/a");
  }
}
