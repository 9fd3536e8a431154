package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.benchmarks.VaultBenchmark.Result;
import io.vaultsync.benchmarks.VaultBenchmark.Row;
import io.vaultsync.benchmarks.wan.Link;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The docs writer on fixed rows: every size and scenario in the Markdown, charts that parse. */
class BenchmarkDocsTest {
  @TempDir Path tmp;

  /** Rows whose figures grow with the size; rsync's live row is n/a, as the runner makes it. */
  static Result result(int notes) {
    return result(notes, Link.LOOPBACK);
  }

  /** {@link #result(int)} over {@code link}. */
  static Result result(int notes, Link link) {
    Map<String, List<Row>> byTool = new LinkedHashMap<>();
    String[] tools = {VaultBenchmark.VAULTSYNC, VaultBenchmark.RSYNC, VaultBenchmark.RSYNC_Z};
    for (int t = 0; t < tools.length; t++) {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < VaultBenchmark.SCENARIOS.size(); i++) {
        String sc = VaultBenchmark.SCENARIOS.get(i);
        boolean live = i == VaultBenchmark.LIVE;
        if (live && t > 0) {
          rows.add(new Row(sc, 5, -1, -1, -1, -1, -1, -1, -1, -1, -1));
        } else {
          long nanos = (i + 1) * 100_000_000L * (t == 0 ? 10 : 1) * notes / 1000;
          rows.add(
              new Row(
                  sc,
                  5,
                  nanos,
                  (i + 1) * 1000L * notes / (t + 1),
                  500L * notes / 1000,
                  nanos / 2,
                  100_000,
                  nanos / 4,
                  live ? -1 : 50_000,
                  live ? nanos * 2 : -1,
                  live ? nanos * 3 : -1));
        }
      }
      byTool.put(tools[t], rows);
    }
    return new Result(
        notes, notes * 4500L, 5, byTool.get(VaultBenchmark.VAULTSYNC), byTool, null, link);
  }

  @Test
  void writesEverySizeAndLinkTheTargetsTheGrowthTheWorstRatioTheChartsAndTheCsv() throws Exception {
    List<Result> results =
        List.of(
            result(1000),
            result(1000, Link.WAN),
            result(10000),
            result(10000, Link.WAN),
            result(50000),
            result(50000, Link.WAN));
    MachineInfo machine =
        new MachineInfo("Test CPU", 2, "4.0 GiB", "Linux", "JDK 17", "rsync 3", "ext4", "GNU time");
    Path md = tmp.resolve("docs/benchmarks.md");

    List<Path> written =
        BenchmarkDocs.write(
            md,
            Instant.parse("2026-11-26T10:00:00Z"),
            machine,
            "run it",
            List.of("m"),
            "Runs: a plan\n",
            results);

    String text = Files.readString(md);
    assertThat(text)
        .contains("2026-11-26T10:00:00Z", "Test CPU", "ext4", "run it")
        .contains("### 1,000 notes", "### 10,000 notes", "### 50,000 notes")
        .contains("#### Loopback, median of 5 runs")
        .contains("#### WAN-shaped link (50 ms RTT, 20 Mbit/s), median of 5 runs")
        .contains("## Runs and time\n\nRuns: a plan")
        .contains("a user-space TCP proxy")
        .contains("wall s, 50,000", "bytes growth");
    assertThat(text.indexOf("## Targets")).isLessThan(text.indexOf("## Machine"));
    // the growth and worst-ratio sections have a part per link
    assertThat(text.split("\n### Loopback\n", -1)).hasSize(3);
    assertThat(text.split("\n### WAN-shaped link \\(50 ms RTT, 20 Mbit/s\\)\n", -1)).hasSize(3);
    for (String sc : VaultBenchmark.SCENARIOS) {
      // one row per size and link in the size tables, one per tool and link in the growth
      // tables, and the targets' rows
      int targets = sc.equals(VaultBenchmark.SCENARIOS.get(VaultBenchmark.LIVE)) ? 2 : 1;
      targets +=
          sc.startsWith("first upload") || sc.equals("clone") || sc.equals("folder rename") ? 1 : 0;
      assertThat(text.split("\\| " + java.util.regex.Pattern.quote(sc) + " \\|", -1))
          .as(sc)
          .hasSize(1 + results.size() + 2 + targets);
    }
    assertThat(text).contains("p50 ").contains("| rsync | n/a |");
    // the fixed rows make vaultsync's time 10× rsync's everywhere and the bytes ratio at most 1
    assertThat(text).contains("- time: ").contains("vaultsync / rsync");
    for (Result r : results) {
      for (String metric : List.of("time", "bytes")) {
        String name = BenchmarkCharts.fileName(metric, r.notes(), r.link());
        assertThat(text).contains("](" + name + ")");
        Path png = md.resolveSibling(name);
        assertThat(written).contains(png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).as(name).isNotNull();
        assertThat(image.getWidth()).isEqualTo(BenchmarkCharts.WIDTH);
      }
    }
    assertThat(Files.readAllLines(md.resolveSibling(BenchmarkDocs.CSV)))
        .hasSize(1 + 6 * 3 * VaultBenchmark.SCENARIOS.size());
    try (var s = Files.list(md.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    }
  }

  @Test
  void aSectionAnotherCommandWroteIsKeptWhenTheDocsAreWrittenAgain() throws Exception {
    Path md = tmp.resolve("docs/benchmarks.md");
    MachineInfo machine =
        new MachineInfo("Test CPU", 2, "4.0 GiB", "Linux", "JDK 17", "rsync 3", "ext4", "GNU time");
    List<Result> results = List.of(result(1000), result(1000, Link.WAN));
    Instant date = Instant.parse("2026-12-08T04:00:00Z");
    BenchmarkDocs.write(md, date, machine, "cmd-one", List.of("m"), "", results);
    KeptSections.write(md, "cluster", "## Cluster\n\nthree servers\n");

    BenchmarkDocs.write(md, date, machine, "cmd-two", List.of("m"), "", results);

    String text = Files.readString(md);
    assertThat(text).contains("cmd-two", "<!-- begin cluster -->\n## Cluster\n\nthree servers\n");
    assertThat(text).doesNotContain("cmd-one").doesNotContain("## Runs and time");
  }

  @Test
  void growthIsTheLargestSizeOverTheSmallest() {
    String table = BenchmarkTables.growthTable(List.of(result(1000), result(50000)));
    // time and bytes of every measured row grow 50×
    assertThat(table).contains("| ×50.0 |");
    assertThat(table).doesNotContain("×1.00");
  }
}
