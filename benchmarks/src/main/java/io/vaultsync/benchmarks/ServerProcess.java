package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.live.CliProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code vaultsync server --data DIR --listen 127.0.0.1:0 --snapshot-every 0} in its own JVM (the
 * command line of {@link CliProcess}), so its CPU time and memory are its own: per scenario, the
 * user + system time it used ({@code /proc/PID/stat}) and its peak RSS ({@code VmHWM}, reset by
 * {@code /proc/PID/clear_refs} at the start of the scenario). The port the kernel picked is read
 * from its "serving ... on 127.0.0.1:PORT" log line.
 */
final class ServerProcess implements ServerSide {
  private static final Pattern PORT = Pattern.compile(" on 127\\.0\\.0\\.1:(\\d+) \\(");

  private final CliProcess process;
  private final int port;
  private long cpuAtBegin = -1;
  private boolean peakReset;

  private ServerProcess(CliProcess process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the server on {@code data} and waits (up to 2 minutes) until it serves. */
  static ServerProcess start(Path data, String classpath, Path log)
      throws IOException, InterruptedException {
    CliProcess p =
        CliProcess.start(
            "server", List.of(), classpath, CliProcess.serverArgs(data, "127.0.0.1:0"), log);
    try {
      String line = p.awaitLine(l -> PORT.matcher(l).find(), Duration.ofMinutes(2));
      Matcher m = PORT.matcher(line);
      if (!m.find()) {
        throw new IOException("no port in the server's line: " + line);
      }
      return new ServerProcess(p, Integer.parseInt(m.group(1)));
    } catch (IOException | InterruptedException | RuntimeException e) {
      p.close();
      throw e;
    }
  }

  /** {@code http://127.0.0.1:PORT}. */
  String url() {
    return "http://127.0.0.1:" + port;
  }

  /** The port the server listens on. */
  int port() {
    return port;
  }

  long pid() {
    return process.pid();
  }

  @Override
  public void begin() {
    cpuAtBegin = ProcessUsage.cpuNanos(process.pid());
    peakReset = ProcessUsage.resetPeak(process.pid());
  }

  @Override
  public Usage end() throws IOException {
    if (!process.isAlive()) {
      throw new IOException(process + " ended during the scenario: " + process.lines());
    }
    long cpu = ProcessUsage.cpuNanos(process.pid());
    long peak = peakReset ? ProcessUsage.peakRssKib(process.pid()) : -1;
    return new Usage(cpu < 0 || cpuAtBegin < 0 ? -1 : cpu - cpuAtBegin, peak);
  }

  @Override
  public String method() {
    return "vaultsync server in its own JVM: CPU from /proc/PID/stat (utime + stime) over the"
        + " scenario, peak RSS from VmHWM after resetting it (/proc/PID/clear_refs)";
  }

  @Override
  public void close() throws IOException {
    process.close();
  }
}
