package io.vaultsync.benchmarks.live;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Benchmarks start the CLI and the server through the launcher, with the jar as VAULTSYNC_JAR. */
class LauncherCommandTest {
  @TempDir Path tmp;

  @AfterEach
  void clearProperty() {
    System.clearProperty(Launcher.PROPERTY);
  }

  private Path fakeLauncher() throws IOException {
    Path script = tmp.resolve("vaultsync");
    Files.writeString(script, "#!/bin/sh\necho \"$VAULTSYNC_JAR $*\" >>\"$0.log\"\n");
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    System.setProperty(Launcher.PROPERTY, script.toString());
    return script;
  }

  @Test
  void aJarClassPathRunsTheLauncherWithVaultsyncJarAfterOneUntimedRunThatMakesItsCache()
      throws IOException {
    Path script = fakeLauncher();
    Path jar = Files.writeString(tmp.resolve("bench.jar"), "jar");

    List<String> sync = CliProcess.command(List.of(), jar.toString(), List.of("sync", "dir"));
    List<String> server =
        CliProcess.command(List.of("-Xmx2g"), jar.toString(), List.of("server", "--data", "d"));

    assertThat(sync)
        .containsExactly("env", "VAULTSYNC_JAR=" + jar, script.toString(), "sync", "dir");
    assertThat(server)
        .containsExactly(
            "env",
            "VAULTSYNC_JAR=" + jar,
            "VAULTSYNC_SERVER_JAVA_OPTS=-Xmx2g",
            script.toString(),
            "server",
            "--data",
            "d");
    assertThat(Files.readAllLines(Path.of(script + ".log"))).containsExactly(jar + " --version");
  }

  @Test
  void aClassPathOfFoldersRunsJavaWithTheLaunchersOptionsForThatCommand() throws IOException {
    fakeLauncher();
    String folders = tmp.resolve("classes") + java.io.File.pathSeparator + tmp.resolve("more");

    List<String> status = CliProcess.command(List.of(), folders, List.of("status"));
    List<String> patch = CliProcess.command(List.of(), folders, List.of("patch", "a", "b", "c"));

    assertThat(status)
        .containsSubsequence("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", CliProcess.MAIN);
    assertThat(patch).doesNotContain("-XX:TieredStopAtLevel=1").contains("-XX:+UseSerialGC");
  }

  @Test
  void optionLinesApplyByJdkVersionAndCommand() {
    String text =
        "# comment\n[jdk>=25] -Da=25\n[jdk<25] -Da=17\n[not-file-commands] -Dc=1\n"
            + "[jdk>=25] [not-file-commands] -Db=both\n-Dall # trailing\n";

    assertThat(OptionsFile.parse(text, "sync", 25))
        .containsExactly("-Da=25", "-Dc=1", "-Db=both", "-Dall");
    assertThat(OptionsFile.parse(text, "sync", 17)).containsExactly("-Da=17", "-Dc=1", "-Dall");
    assertThat(OptionsFile.parse(text, "delta", 25)).containsExactly("-Da=25", "-Dall");
  }
}
