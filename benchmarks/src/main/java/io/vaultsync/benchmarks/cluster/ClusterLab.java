package io.vaultsync.benchmarks.cluster;

import io.vaultsync.benchmarks.crash.CrashLab;
import io.vaultsync.benchmarks.crash.CrashLab.Done;
import io.vaultsync.benchmarks.live.CliProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Where the cluster check's clients run: their folders under {@code WORK/clients}, one log per CLI
 * command under {@code WORK/logs}, every command in its own JVM and bounded in time.
 */
final class ClusterLab {
  /** How long a command may run before it counts as hung (and is killed). */
  static final Duration COMMAND_DEADLINE = Duration.ofMinutes(3);

  private final Path root;
  private final Path logs;
  private final String classpath;
  private final String clientUrl;

  ClusterLab(Path work, String classpath, String clientUrl) throws IOException {
    this.root = work.resolve("clients");
    this.logs = work.resolve("logs");
    this.classpath = classpath;
    this.clientUrl = clientUrl;
    Files.createDirectories(root);
    Files.createDirectories(logs);
  }

  Path root() {
    return root;
  }

  String clientUrl() {
    return clientUrl;
  }

  /** Starts a CLI command in its own JVM. */
  CliProcess start(String device, int n, String... args) throws IOException {
    String name = device + "-" + n + "-" + args[0];
    return CliProcess.start(name, List.of(), classpath, List.of(args), logs.resolve(name + ".log"));
  }

  /** Runs a CLI command to its end. */
  Done run(String device, int n, String... args) throws IOException, InterruptedException {
    return finish(start(device, n, args));
  }

  /** Waits for {@code p} to end by itself (else kills it: exit code -1, a hang). */
  Done finish(CliProcess p) throws IOException, InterruptedException {
    return CrashLab.finish(p, COMMAND_DEADLINE, System.nanoTime());
  }
}
