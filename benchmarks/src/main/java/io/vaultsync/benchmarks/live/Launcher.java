package io.vaultsync.benchmarks.live;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The {@code ./vaultsync} launcher script, through which the benchmarks start CLI commands and the
 * server, so they run with the JVM, options and start-up cache a user gets (docs/ARCHITECTURE.md
 * "CLI start-up"). The benchmark's class path must be one jar holding the client (the shaded
 * benchmarks jar does): it runs as {@code VAULTSYNC_JAR}, so the launcher neither checks staleness
 * nor builds, and keeps the cache beside that jar.
 *
 * <p>The script is the system property {@value #PROPERTY}, else the first {@code vaultsync} next to
 * a {@code client-app} folder in a parent of the jar or of the working folder.
 */
final class Launcher {
  /** System property naming the launcher script. */
  static final String PROPERTY = "vaultsync.launcher";

  /** Jars whose start-up cache was made (or tried) in this JVM. */
  private static final Map<Path, Boolean> PREPARED = new ConcurrentHashMap<>();

  private Launcher() {}

  /**
   * {@code env VAULTSYNC_JAR=JAR [VAULTSYNC_[SERVER_]JAVA_OPTS=...] LAUNCHER ARGS} for {@code
   * classpath}, or empty when it is not one jar or no launcher is found (a test's class path of
   * folders: the caller starts {@code java} itself with the same options files).
   */
  static Optional<List<String>> command(
      List<String> jvmOptions, String classpath, List<String> args) {
    Optional<Path> jar = singleJar(classpath);
    if (jar.isEmpty()) {
      return Optional.empty();
    }
    Optional<Path> script = find(jar.get());
    if (script.isEmpty()) {
      return Optional.empty();
    }
    prepare(script.get(), jar.get());
    boolean server = !args.isEmpty() && args.get(0).equals("server");
    List<String> cmd = new ArrayList<>();
    cmd.add("env");
    cmd.add("VAULTSYNC_JAR=" + jar.get());
    if (!jvmOptions.isEmpty()) {
      cmd.add(
          (server ? "VAULTSYNC_SERVER_JAVA_OPTS=" : "VAULTSYNC_JAVA_OPTS=")
              + String.join(" ", jvmOptions));
    }
    cmd.add(script.get().toString());
    cmd.addAll(args);
    return Optional.of(List.copyOf(cmd));
  }

  private static Optional<Path> singleJar(String classpath) {
    if (classpath.contains(File.pathSeparator) || !classpath.endsWith(".jar")) {
      return Optional.empty();
    }
    Path jar = Path.of(classpath).toAbsolutePath().normalize();
    return Files.isRegularFile(jar) ? Optional.of(jar) : Optional.empty();
  }

  private static Optional<Path> find(Path jar) {
    String property = System.getProperty(PROPERTY);
    if (property != null && !property.isBlank()) {
      return Optional.of(Path.of(property).toAbsolutePath());
    }
    for (Path start : List.of(jar.getParent(), Path.of("").toAbsolutePath())) {
      for (Path dir = start; dir != null; dir = dir.getParent()) {
        Path script = dir.resolve("vaultsync");
        if (Files.isRegularFile(script)
            && Files.isExecutable(script)
            && Files.isDirectory(dir.resolve("client-app"))) {
          return Optional.of(script);
        }
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code --version} through the launcher once per jar, so its training run (seconds) happens
   * before anything is timed rather than inside the first measured command.
   */
  private static void prepare(Path script, Path jar) {
    PREPARED.computeIfAbsent(
        jar,
        j -> {
          try {
            ProcessBuilder pb =
                new ProcessBuilder(script.toString(), "--version")
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD);
            pb.environment().put("VAULTSYNC_JAR", j.toString());
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
              p.destroyForcibly();
            }
          } catch (IOException e) {
            // the commands themselves will say what is wrong
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return true;
        });
  }
}
