package io.vaultsync.benchmarks.crash;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The kill -9 loops at a toy size (1 round of each, small vault, no large files), so the build
 * proves the harness runs end to end with real processes and that its rules hold; the 20-round runs
 * are {@code benchmarks/kill-loop.sh}, with their output in benchmarks/README.md.
 */
class KillLoopSmokeTest {
  @TempDir Path tmp;

  @Test
  @Timeout(600)
  void everyScenarioKillsRestartsAndLosesNothing() throws Exception {
    KillLoop loop = new KillLoop();
    new CommandLine(loop)
        .parseArgs(
            "--rounds",
            "1",
            "--notes",
            "20",
            "--changes",
            "20",
            "--no-large",
            "--work",
            tmp.toString());
    ByteArrayOutputStream report = new ByteArrayOutputStream();

    List<KillLoop.Report> reports = loop.run(new PrintStream(report, true, StandardCharsets.UTF_8));

    String text = report.toString(StandardCharsets.UTF_8);
    System.out.print(text);
    assertThat(reports).hasSize(3);
    for (KillLoop.Report r : reports) {
      assertThat(r.violations()).as(text).isEmpty();
      assertThat(r.rounds()).as(text).hasSize(1);
    }
  }
}
