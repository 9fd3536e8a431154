package io.vaultsync.benchmarks.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server runs with its options file, which bounds the heap and stops it clearly when out. */
class CliProcessServerOptionsTest {
  @TempDir Path tmp;

  private static final String CLASSPATH = System.getProperty("java.class.path");

  @Test
  void theServerGetsTheServerOptionsFileAndTheCallersOptionsOverrideIt() {
    List<String> cmd =
        CliProcess.command(List.of("-Xmx2g"), CLASSPATH, List.of("server", "--data", "d"));

    assertThat(CliProcess.serverOptions())
        .contains("-Xmx112m", "-XX:+ExitOnOutOfMemoryError", "--enable-native-access=ALL-UNNAMED");
    assertThat(cmd).containsSubsequence(CliProcess.serverOptions());
    assertThat(cmd).containsSubsequence("-Xmx112m", "-Xmx2g", CliProcess.MAIN, "server");
    assertThat(cmd).noneMatch(o -> o.startsWith("-XX:TieredStopAtLevel="));
  }

  @Test
  void theLauncherReadsTheSameServerOptionsFile() throws IOException {
    Path launcher = repositoryRoot().resolve("vaultsync");
    String script = Files.readString(launcher, StandardCharsets.UTF_8);

    assertThat(script)
        .contains("client-app/src/main/resources/vaultsync-server-jvm.options")
        .contains("VAULTSYNC_SERVER_JAVA_OPTS");
  }

  @Test
  void aServerOutOfHeapStopsWithAMessageThatSaysHowToRaiseIt() throws Exception {
    List<String> cmd =
        CliProcess.command(
            List.of("-Xmx6m"),
            CLASSPATH,
            List.of(
                "server",
                "--data",
                tmp.resolve("data").toString(),
                "--listen",
                "127.0.0.1:0",
                "--snapshot-every",
                "0"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    p.getOutputStream().close();
    byte[] out = p.getInputStream().readAllBytes();
    boolean ended = p.waitFor(60, TimeUnit.SECONDS);
    if (!ended) {
      p.destroyForcibly();
    }

    assertThat(ended).as("server with a 6 MB heap ended").isTrue();
    assertThat(p.exitValue()).isEqualTo(3);
    assertThat(new String(out, StandardCharsets.UTF_8))
        .contains("vaultsync server: out of memory")
        .contains("VAULTSYNC_SERVER_JAVA_OPTS=-Xmx2g");
  }

  private static Path repositoryRoot() {
    Path dir = Path.of("").toAbsolutePath();
    while (dir != null && !Files.exists(dir.resolve("vaultsync"))) {
      dir = dir.getParent();
    }
    assertThat(dir).as("a parent folder holding the ./vaultsync launcher").isNotNull();
    return dir;
  }
}
