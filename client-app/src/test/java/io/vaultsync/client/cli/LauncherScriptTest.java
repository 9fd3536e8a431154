package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./vaultsync} launcher's choice of JVM options and its start-up cache, run with {@code
 * VAULTSYNC_JAR} (a stand-in jar) and {@code VAULTSYNC_JAVA} (a stand-in java that logs how it was
 * called and makes, or fails to make, the cache a training run asks for).
 */
class LauncherScriptTest {
  @TempDir Path tmp;

  private Path jar;
  private Path jdk;

  @BeforeEach
  void setUp() throws IOException {
    Files.createDirectories(tmp.resolve("lib"));
    jar = Files.writeString(tmp.resolve("lib/x.jar"), "not really a jar");
    jdk = tmp.resolve("jdk");
    Files.createDirectories(jdk.resolve("bin"));
    Path java = jdk.resolve("bin/java");
    Files.writeString(
        java,
        String.join(
            "\n",
            "#!/usr/bin/env bash",
            "home=\"$(dirname \"$0\")/..\"",
            "out=",
            "for a in \"$@\"; do case \"$a\" in",
            "  -XX:AOTCacheOutput=*|-XX:ArchiveClassesAtExit=*) out=\"${a#*=}\" ;;",
            "esac; done",
            "if [ -n \"$out\" ]; then",
            "  echo \"train $*\" >>\"$home/calls.log\"",
            "  if [ \"$(cat \"$home/mode\")\" = ok ]; then echo cache >\"$out\"; exit 0; fi",
            "  exit 1",
            "fi",
            "echo \"run $*\" >>\"$home/calls.log\"",
            ""),
        StandardCharsets.UTF_8);
    Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
    jdkVersion("25.0.3");
    trainingSucceeds(true);
  }

  private void jdkVersion(String version) throws IOException {
    Files.writeString(
        jdk.resolve("release"), "IMPLEMENTOR=\"test\"\nJAVA_VERSION=\"" + version + "\"\n");
  }

  private void trainingSucceeds(boolean ok) throws IOException {
    Files.writeString(jdk.resolve("mode"), ok ? "ok" : "fail");
  }

  @Test
  void onJdk25ATrainedAotCacheBesideTheJarIsUsedAndNotRemade() throws Exception {
    assertThat(launch("status", "v").exit()).isZero();
    assertThat(launch("status", "v").exit()).isZero();

    Path cache = jar.resolveSibling("x.aot");
    assertThat(cache).exists();
    assertThat(calls("train")).hasSize(1);
    List<String> runs = calls("run");
    assertThat(runs).hasSize(2);
    assertThat(runs)
        .allMatch(r -> r.contains("-XX:AOTCache=" + cache + " -Xlog:aot=off"))
        .allMatch(r -> r.contains("-XX:TieredStopAtLevel=1"))
        .allMatch(
            r -> r.endsWith("-cp " + jar + " " + VaultsyncCommand.class.getName() + " status v"));
    // the training runs with the very options of the commands, else JDK 25 refuses the cache
    String run = runs.get(0);
    String commandOptions = run.substring("run ".length(), run.indexOf(" -XX:AOTCache="));
    assertThat(commandOptions)
        .contains("-XX:+UseSerialGC")
        .contains("--enable-native-access=ALL-UNNAMED");
    assertThat(calls("train").get(0))
        .startsWith("train " + commandOptions + " -XX:AOTCacheOutput=")
        .contains(StartupTraining.class.getName());
    try (var files = Files.list(jar.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("x.jar", "x.aot", "x.aot.jvm");
    }
  }

  @Test
  void aFailedTrainingIsNotRetriedUntilTheJarChangesAndCommandsRunWithoutACache() throws Exception {
    trainingSucceeds(false);
    assertThat(launch("status", "v").exit()).isZero();
    assertThat(launch("status", "v").exit()).isZero();

    assertThat(calls("train")).hasSize(1);
    assertThat(calls("run")).hasSize(2).noneMatch(r -> r.contains("AOTCache"));
    assertThat(jar.resolveSibling("x.aot")).doesNotExist();
    assertThat(jar.resolveSibling("x.aot.failed")).exists();

    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(10)));
    trainingSucceeds(true);
    assertThat(launch("status", "v").exit()).isZero();

    assertThat(calls("train")).hasSize(2);
    assertThat(calls("run").get(2)).contains("-XX:AOTCache=");
    assertThat(jar.resolveSibling("x.aot.failed")).doesNotExist();
  }

  @Test
  void aCacheOlderThanTheJarIsRemade() throws Exception {
    assertThat(launch("status", "v").exit()).isZero();
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now().plusSeconds(10)));
    assertThat(launch("status", "v").exit()).isZero();

    assertThat(calls("train")).hasSize(2);
  }

  @Test
  void aDamagedAotCacheIsSkippedSilentlyByARealJdk25() throws Exception {
    Path real = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64/bin/java");
    assumeThat(Files.isExecutable(real)).as("a JDK 25 at " + real).isTrue();
    assertThat(launch("status", "v").exit()).isZero();
    Path cache = jar.resolveSibling("x.aot");
    Files.write(cache, new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    String run = calls("run").get(0);
    // the cache options exactly as the launcher gave them, with a real JDK 25
    List<String> cmd = new ArrayList<>(List.of(real.toString()));
    Arrays.stream(run.split(" "))
        .filter(w -> w.startsWith("-XX:AOTCache") || w.startsWith("-Xlog:"))
        .forEach(cmd::add);
    cmd.add("-version");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    assertThat(out).contains("version \"25").doesNotContainIgnoringCase("error");
  }

  @Test
  void onJdk17ItUsesAClassDataSharingArchiveAndTheJdk17Lines() throws Exception {
    jdkVersion("17.0.15");
    assertThat(launch("status", "v").exit()).isZero();

    Path archive = jar.resolveSibling("x.jsa");
    assertThat(archive).exists();
    assertThat(calls("train").get(0)).contains("-XX:ArchiveClassesAtExit=");
    assertThat(calls("run").get(0))
        .contains("-XX:SharedArchiveFile=" + archive)
        .doesNotContain("AOTCache");
  }

  @Test
  void theFileCommandsRunWithC2ForItsSha256Intrinsic() throws Exception {
    assertThat(launch("patch", "a", "b", "c").exit()).isZero();

    assertThat(calls("run").get(0)).doesNotContain("TieredStopAtLevel");
  }

  @Test
  void theServerGetsItsOwnOptionsAndNoCache() throws Exception {
    assertThat(launch("server", "--data", "d").exit()).isZero();

    assertThat(calls("train")).isEmpty();
    String heap =
        Files.readAllLines(Path.of("src/main/resources/vaultsync-server-jvm.options")).stream()
            .filter(line -> line.startsWith("-Xmx"))
            .findFirst()
            .orElseThrow();
    assertThat(calls("run").get(0)).contains(" " + heap + " ").doesNotContain("AOTCache");
  }

  @Test
  void aMissingVaultsyncJarIsOneLineNamingIt() throws Exception {
    jar = tmp.resolve("missing.jar");
    Result r = launch("status");

    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.output()).contains("VAULTSYNC_JAR=" + jar).contains("is not a file");
  }

  private record Result(int exit, String output) {}

  private Result launch(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("bash", launcher().toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("VAULTSYNC_JAR", jar.toString());
    pb.environment().put("VAULTSYNC_JAVA", jdk.resolve("bin/java").toString());
    pb.environment().remove("VAULTSYNC_JAVA_OPTS");
    pb.environment().remove("VAULTSYNC_SERVER_JAVA_OPTS");
    Process p = pb.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Result(p.exitValue(), out);
  }

  private List<String> calls(String kind) throws IOException {
    Path log = jdk.resolve("calls.log");
    if (!Files.exists(log)) {
      return List.of();
    }
    return Files.readAllLines(log).stream().filter(l -> l.startsWith(kind + " ")).toList();
  }

  private static Path launcher() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("vaultsync"))
          && Files.isDirectory(dir.resolve("client-app"))) {
        return dir.resolve("vaultsync");
      }
    }
    throw new IllegalStateException(
        "no ./vaultsync launcher above " + Path.of("").toAbsolutePath());
  }
}
