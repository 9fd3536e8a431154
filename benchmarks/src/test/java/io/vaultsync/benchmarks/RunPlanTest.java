package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.benchmarks.wan.Link;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The docs benchmark's runs per size and link, and its estimate against the 35-minute budget. */
class RunPlanTest {
  private static final List<Integer> SIZES = List.of(1000, 10000, 50000);
  private static final List<Link> LINKS = List.of(Link.LOOPBACK, Link.WAN);

  @Test
  void theDefaultPlanRunsFewerTimesAt50kAndOverTheWanLinkAndFitsIn35Minutes() {
    RunPlan plan = new RunPlan(0, 0, true);

    assertThat(plan.describe(SIZES, LINKS))
        .isEqualTo(
            "Loopback 5/5/3 runs, WAN-shaped link (50 ms RTT, 20 Mbit/s) 3/3/1 runs"
                + " (1,000 / 10,000 / 50,000 notes)");
    double seconds = plan.estimateSeconds(SIZES, LINKS);
    assertThat(seconds).isBetween(20 * 60.0, 35 * 60.0);
    // over the link, plain rsync's init and clone alone take ~82 s apiece at 50,000 notes
    assertThat(plan.estimateSeconds(50000, Link.WAN, 1))
        .isGreaterThan(2 * 82 + plan.estimateSeconds(50000, Link.LOOPBACK, 1));
  }

  @Test
  void runsSetsEverySizeAndLinkAndWanRunsTheWanLinks() {
    RunPlan plan = new RunPlan(2, 1, true);

    assertThat(plan.describe(List.of(1000), LINKS))
        .isEqualTo("Loopback 2 runs, WAN-shaped link (50 ms RTT, 20 Mbit/s) 1 run (1,000 notes)");
    assertThat(plan.runs(50000, Link.LOOPBACK)).isEqualTo(2);
  }
}
