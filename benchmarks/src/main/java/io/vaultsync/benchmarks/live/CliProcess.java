package io.vaultsync.benchmarks.live;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A {@code vaultsync} CLI command in its own JVM, started through the {@code ./vaultsync} launcher
 * as a user starts it (see {@link #command}), so what it measures shares nothing with the
 * benchmark's JVM but the kernel. Its standard output and error are merged, kept in memory line by
 * line (for {@link #awaitLine}) and copied to a log file. {@link #close} sends SIGTERM (the CLI's
 * shutdown hook stops cleanly) and waits; it kills the process only if it does not end in time.
 * Children still running when this JVM exits (Ctrl-C on a benchmark) get SIGTERM too.
 */
public final class CliProcess implements AutoCloseable {
  /** The CLI's main class; in the shaded benchmarks jar and on the test class path alike. */
  public static final String MAIN = "io.vaultsync.client.cli.VaultsyncCommand";

  /** Children still running; a benchmark stopped by Ctrl-C must not leave them behind. */
  private static final java.util.Set<Process> LIVE =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime()
        .addShutdownHook(new Thread(() -> LIVE.forEach(Process::destroy), "cli-process-reaper"));
  }

  private final String name;
  private final Process process;
  private final List<String> lines = new ArrayList<>();
  private final Thread reader;

  private CliProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.reader = new Thread(() -> pump(log), "cli-output-" + name);
    reader.setDaemon(true);
    reader.start();
  }

  /**
   * Starts the CLI with {@code args}; {@code classpath} must hold the client (the benchmark's own
   * {@code java.class.path} does).
   */
  public static CliProcess start(
      String name, List<String> jvmOptions, String classpath, List<String> args, Path log)
      throws IOException {
    List<String> cmd = command(jvmOptions, classpath, args);
    Files.createDirectories(log.toAbsolutePath().getParent());
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    LIVE.add(p);
    p.onExit().thenRun(() -> LIVE.remove(p));
    p.getOutputStream().close();
    return new CliProcess(name, p, log);
  }

  /**
   * The command line of the CLI with {@code args}, as {@link #start} runs it; for callers that run
   * it under a meter. When {@code classpath} is one jar and the {@code ./vaultsync} launcher is
   * found ({@link Launcher}): the launcher itself with {@code VAULTSYNC_JAR} set, so a command
   * starts exactly as a user's does ({@code jvmOptions} go in {@code VAULTSYNC_JAVA_OPTS}, or
   * {@code VAULTSYNC_SERVER_JAVA_OPTS} for {@code server}). Otherwise (a test's class path of
   * folders) {@code java [options] [jvmOptions] -cp CLASSPATH MAIN ARGS} with the running JVM and
   * the launcher's options files read as the launcher reads them, without a start-up cache.
   */
  public static List<String> command(List<String> jvmOptions, String classpath, List<String> args) {
    Optional<List<String>> launched = Launcher.command(jvmOptions, classpath, args);
    if (launched.isPresent()) {
      return launched.get();
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(javaBinary());
    String command = args.isEmpty() ? "" : args.get(0);
    cmd.addAll(command.equals("server") ? serverOptions() : launchOptions(command));
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(classpath);
    cmd.add(MAIN);
    cmd.addAll(args);
    return cmd;
  }

  /** Where client-app keeps the CLI's JVM options (one a line, # comments), on the class path. */
  static final String OPTIONS_RESOURCE = "/vaultsync-jvm.options";

  /** Where client-app keeps the server's JVM options (same format), on the class path. */
  static final String SERVER_OPTIONS_RESOURCE = "/vaultsync-server-jvm.options";

  /**
   * The JVM options of {@code vaultsync server} on the running JVM, as the {@code ./vaultsync}
   * launcher reads them: client-app's {@value #SERVER_OPTIONS_RESOURCE}. The launcher's {@code
   * VAULTSYNC_SERVER_JAVA_OPTS} is the caller's {@code jvmOptions} here, which come after these and
   * so override them.
   */
  public static List<String> serverOptions() {
    return OptionsFile.read(SERVER_OPTIONS_RESOURCE, "server", Runtime.version().feature());
  }

  /**
   * The arguments of {@code vaultsync server} serving {@code data} on {@code listen} ({@code
   * host:port}), with no automatic snapshots (a benchmark or a test times only what it does).
   */
  public static List<String> serverArgs(Path data, String listen) {
    return List.of(
        "server", "--data", data.toString(), "--listen", listen, "--snapshot-every", "0");
  }

  /**
   * The JVM options of CLI command {@code command} on the running JVM, as the {@code ./vaultsync}
   * launcher reads them from client-app's {@value #OPTIONS_RESOURCE} (without its start-up cache).
   */
  public static List<String> launchOptions(String command) {
    return OptionsFile.read(OPTIONS_RESOURCE, command, Runtime.version().feature());
  }

  /** The java launcher of the running JVM, so children run the same JDK. */
  public static String javaBinary() {
    Path bin = Path.of(System.getProperty("java.home"), "bin", "java");
    return Files.isExecutable(bin) ? bin.toString() : "java";
  }

  private void pump(Path log) {
    try (BufferedReader in =
            new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null; ) {
        out.println(line);
        out.flush();
        synchronized (lines) {
          lines.add(line);
          lines.notifyAll();
        }
      }
    } catch (IOException e) {
      // the process went away; waiters time out or see isAlive() false
    } finally {
      synchronized (lines) {
        lines.notifyAll();
      }
    }
  }

  /**
   * The first line (since the start) that {@code match} accepts, waiting up to {@code timeout}.
   *
   * @throws IOException if the process ends or the time passes first, naming the last output
   */
  public String awaitLine(Predicate<String> match, Duration timeout)
      throws IOException, InterruptedException {
    long end = System.nanoTime() + timeout.toNanos();
    int seen = 0;
    synchronized (lines) {
      while (true) {
        for (; seen < lines.size(); seen++) {
          if (match.test(lines.get(seen))) {
            return lines.get(seen);
          }
        }
        long left = end - System.nanoTime();
        boolean ended = !reader.isAlive();
        if (left <= 0 || ended) {
          throw new IOException(
              name
                  + (ended ? " ended (exit " + exitCode() + ")" : " did not answer in " + timeout)
                  + "; last output: "
                  + lines.subList(Math.max(0, lines.size() - 5), lines.size()));
        }
        lines.wait(Math.max(1, Math.min(left / 1_000_000, 200)));
      }
    }
  }

  private String exitCode() {
    return process.isAlive() ? "still running" : String.valueOf(process.exitValue());
  }

  /** Every line printed so far. */
  public List<String> lines() {
    synchronized (lines) {
      return List.copyOf(lines);
    }
  }

  /** The first line matching {@code match}, if one was printed. */
  public Optional<String> findLine(Predicate<String> match) {
    return lines().stream().filter(match).findFirst();
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /**
   * Waits up to {@code timeout} for the process to end by itself; its exit code, or -1 if it is
   * still running.
   */
  public int waitFor(Duration timeout) throws InterruptedException {
    return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? process.exitValue() : -1;
  }

  /**
   * SIGKILL ({@code kill -9}): the process ends at once, without its shutdown hooks, as in a crash
   * or a power cut; waits up to 30 s for it to be gone and returns its exit code (137 on Linux).
   */
  public int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(this + " still runs 30 s after SIGKILL");
    }
    reader.join(Duration.ofSeconds(5).toMillis());
    return process.exitValue();
  }

  /** SIGTERM, then up to 30 s for a clean stop, then SIGKILL. */
  @Override
  public void close() throws IOException {
    process.destroy();
    try {
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        System.err.println(this + " did not stop within 30 s of SIGTERM; killing it");
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
      reader.join(Duration.ofSeconds(5).toMillis());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + " (pid " + process.pid() + ")";
  }
}
