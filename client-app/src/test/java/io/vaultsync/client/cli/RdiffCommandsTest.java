package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** signature → delta → patch through the command line, with files and with {@code -}. */
class RdiffCommandsTest {
  private static final Pattern STATS =
      Pattern.compile("\\{\"command\":\"([a-z]+)\"((?:,\"[A-Za-z]+\":\\d+)*)\\}");
  private static final Pattern FIELD = Pattern.compile(",\"([A-Za-z]+)\":(\\d+)");

  @TempDir Path dir;

  private Path basis;
  private Path target;

  private void seeded(String test, long seed) throws IOException {
    System.out.println("RdiffCommandsTest." + test + " seed=" + seed);
    Random r = new Random(seed);
    byte[] old = Cli.text(r, r.nextInt(300_000));
    byte[] neu = Cli.mutate(r, old, 1 + r.nextInt(20));
    basis = Files.write(dir.resolve("old.md"), old);
    target = Files.write(dir.resolve("new.md"), neu);
  }

  @ParameterizedTest(name = "seed={0}")
  @ValueSource(longs = {1, 2, 3, 42, 20261126})
  void filesRoundTrip(long seed) throws IOException {
    seeded("filesRoundTrip", seed);
    Path sig = dir.resolve("old.sig");
    Path delta = dir.resolve("new.delta");
    Path out = dir.resolve("out.md");

    assertOk(Cli.run("signature", basis.toString(), sig.toString()));
    assertOk(Cli.run("delta", sig.toString(), target.toString(), delta.toString()));
    assertOk(Cli.run("patch", basis.toString(), delta.toString(), out.toString()));

    assertThat(out).hasSameBinaryContentAs(target);
    assertThat(Cli.tempFiles(dir)).isEmpty();
  }

  @ParameterizedTest(name = "seed={0}")
  @ValueSource(longs = {7, 8, 9})
  void stdioRoundTrip(long seed) throws IOException {
    seeded("stdioRoundTrip", seed);
    byte[] old = Files.readAllBytes(basis);
    byte[] neu = Files.readAllBytes(target);

    Cli.Run sig = Cli.run(old, "signature", "-", "-");
    assertOk(sig);
    Path sigFile = Files.write(dir.resolve("old.sig"), sig.stdout());
    Cli.Run delta = Cli.run(neu, "delta", sigFile.toString(), "-", "-");
    assertOk(delta);
    Cli.Run patch = Cli.run(delta.stdout(), "patch", basis.toString(), "-", "-");
    assertOk(patch);
    assertThat(patch.stdout()).isEqualTo(neu);

    // The signature may come from stdin too.
    Cli.Run delta2 = Cli.run(sig.stdout(), "delta", "-", target.toString(), "-");
    assertOk(delta2);
    assertThat(delta2.stdout()).isEqualTo(delta.stdout());
    assertThat(Cli.tempFiles(dir)).isEmpty();
  }

  @Test
  void emptyBasisAndTargetRoundTrip() throws IOException {
    Path empty = Files.write(dir.resolve("empty"), new byte[0]);
    Path sig = dir.resolve("sig");
    Path delta = dir.resolve("delta");
    Path out = dir.resolve("out");
    assertOk(Cli.run("signature", empty.toString(), sig.toString()));
    assertOk(Cli.run("delta", sig.toString(), empty.toString(), delta.toString()));
    assertOk(Cli.run("patch", empty.toString(), delta.toString(), out.toString()));
    assertThat(out).isEmptyFile();
  }

  @Test
  void blockAndSumSizeOptionsAreUsed() throws IOException {
    seeded("blockAndSumSizeOptionsAreUsed", 11);
    Path sig = dir.resolve("sig");
    Cli.Run run =
        Cli.run("signature", "--block-size", "64", "-S", "8", "--stats", basis + "", sig + "");
    assertOkWithStats(run);
    Map<String, Long> stats = stats(run, "signature");
    assertThat(stats).containsEntry("blockLength", 64L);
    long blocks = (Files.size(basis) + 63) / 64;
    assertThat(stats).containsEntry("blocks", blocks);
    // Header 18 bytes, then 4 + 8 bytes per block, then a 4-byte checksum.
    assertThat(stats).containsEntry("signatureBytes", 18 + 12 * blocks + 4);
    assertThat(Files.size(sig)).isEqualTo(18 + 12 * blocks + 4);
  }

  @Test
  void statsPrintOneJsonLinePerCommand() throws IOException {
    seeded("statsPrintOneJsonLinePerCommand", 5);
    Path sig = dir.resolve("sig");
    Path delta = dir.resolve("delta");
    long inputBytes = Files.size(target);

    Cli.Run s = Cli.run("signature", "--stats", basis.toString(), sig.toString());
    assertOkWithStats(s);
    Map<String, Long> sigStats = stats(s, "signature");
    assertThat(sigStats)
        .containsKeys("blocks", "blockLength")
        .containsEntry("inputBytes", Files.size(basis))
        .containsEntry("signatureBytes", Files.size(sig));

    Cli.Run d = Cli.run("delta", "--stats", sig.toString(), target.toString(), delta.toString());
    assertOkWithStats(d);
    Map<String, Long> deltaStats = stats(d, "delta");
    assertThat(deltaStats)
        .containsEntry("inputBytes", inputBytes)
        .containsEntry("deltaBytes", Files.size(delta));
    assertThat(deltaStats.get("literalBytes") + deltaStats.get("copiedBytes"))
        .isEqualTo(inputBytes);
    assertThat(deltaStats.get("copiedBytes")).isPositive();

    // With the delta on stdout, the stats still go to stderr and stdout carries only the delta.
    Cli.Run p = Cli.run("patch", "-s", basis.toString(), delta.toString(), "-");
    assertOkWithStats(p);
    assertThat(p.stdout()).isEqualTo(Files.readAllBytes(target));
    assertThat(stats(p, "patch"))
        .containsEntry("deltaBytes", Files.size(delta))
        .containsEntry("outputBytes", inputBytes);
  }

  @Test
  void helpListsTheCommandsAndExitCodes() {
    Cli.Run run = Cli.run("--help");
    assertThat(run.exitCode()).isZero();
    assertThat(run.text())
        .contains("signature", "delta", "patch")
        .contains("Exit codes:", "usage error", "bad input");
  }

  @Test
  void subcommandHelpExplainsStdio() {
    assertThat(Cli.run("signature", "--help").text()).contains("2048");
    assertThat(Cli.run("patch", "--help").text()).contains("partial output on stdout");
  }

  private static void assertOk(Cli.Run run) {
    assertThat(run.stderr()).as("stderr").isEmpty();
    assertThat(run.exitCode()).as("exit code").isZero();
  }

  /** A successful run with {@code --stats}: stderr holds the stats line (checked by stats()). */
  private static void assertOkWithStats(Cli.Run run) {
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isZero();
  }

  /** Parses the one line of stderr as the stats JSON of {@code command}. */
  private static Map<String, Long> stats(Cli.Run run, String command) {
    assertThat(run.stderrLines()).hasSize(1);
    Matcher m = STATS.matcher(run.stderrLines().get(0));
    assertThat(m.matches()).as("stats line %s", run.stderr()).isTrue();
    assertThat(m.group(1)).isEqualTo(command);
    Map<String, Long> fields = new LinkedHashMap<>();
    Matcher f = FIELD.matcher(m.group(2));
    while (f.find()) {
      fields.put(f.group(1), Long.parseLong(f.group(2)));
    }
    assertThat(fields).containsKey("millis");
    return fields;
  }
}
