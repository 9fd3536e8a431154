package io.vaultsync.benchmarks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rsync as {@link VaultBenchmark}'s other tool: {@code rsync -a --delete [-z] --stats} against an
 * rsync daemon on 127.0.0.1, one module per run and variant (each a new, empty folder), so both
 * tools start every run from the same state. Bytes are rsync's own "Total bytes sent/received". The
 * commands are built when they run: the daemon listens on a new port every scenario. The client
 * connects to {@code port}: the daemon's, or that of a shaping proxy in front of it (WAN link).
 */
final class RsyncTool implements VaultBenchmark.Tool {
  private static final Pattern SENT = Pattern.compile("Total bytes sent: ([\\d,.]+)");
  private static final Pattern RECEIVED = Pattern.compile("Total bytes received: ([\\d,.]+)");

  private final IntSupplier port;
  private final String module;
  private final boolean compress;

  RsyncTool(IntSupplier port, boolean compress, int run, String tool) {
    this.port = port;
    this.compress = compress;
    this.module = Daemon.module(tool, run);
  }

  /** The module's URL on the daemon running now (a new port every scenario). */
  private String url() {
    return "rsync://127.0.0.1:" + port.getAsInt() + "/" + module + "/";
  }

  /** Whether an {@code rsync} binary answers {@code --version}. */
  static boolean installed() {
    try {
      Process p =
          new ProcessBuilder("rsync", "--version")
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private List<String> rsync(String from, String to) {
    List<String> cmd = new ArrayList<>(List.of("rsync", "-a", "--delete", "--stats"));
    if (compress) {
      cmd.add("-z");
    }
    cmd.add(from);
    cmd.add(to);
    return cmd;
  }

  @Override
  public List<String> init(Path a) {
    return upload(a);
  }

  @Override
  public List<String> cloneInto(Path b) {
    return download(b);
  }

  @Override
  public List<String> upload(Path a) {
    return rsync(a + "/", url());
  }

  @Override
  public List<String> download(Path b) {
    return rsync(url(), b + "/");
  }

  @Override
  public long[] bytes(List<String> output) throws IOException {
    String text = String.join("\n", output);
    return new long[] {number(SENT, text), number(RECEIVED, text)};
  }

  private static long number(Pattern p, String text) throws IOException {
    Matcher m = p.matcher(text);
    if (!m.find()) {
      throw new IOException("no " + p + " in rsync's output: " + text);
    }
    return Long.parseLong(m.group(1).replace(",", "").replace(".", ""));
  }

  /**
   * {@code rsync --daemon --no-detach} on 127.0.0.1 with a module per run and variant, started
   * afresh for every scenario ({@link #begin}) and stopped after it ({@link #end}), under GNU time
   * when it is there: the daemon forks a child per connection and waits for it, so GNU time's
   * figures for the daemon (from {@code wait4}) hold the CPU time of all its connection children
   * and the largest peak RSS of any of them. Before the stop, {@link #end} waits until the daemon
   * has no child left, so every connection of the scenario is counted. Without GNU time: CPU from
   * {@code /proc/PID/stat} (own + waited-for children), RSS n/a. Starting a daemon takes a few
   * milliseconds and is outside the client's timed commands.
   */
  static final class Daemon implements ServerSide {
    private final Path dir;
    private final Path config;
    private Process process;
    private Path report;
    private int port = -1;
    private int started;

    private Daemon(Path dir, Path config) {
      this.dir = dir;
      this.config = config;
    }

    static String module(String tool, int run) {
      return tool.replace(" ", "").replace("-", "") + "-" + run;
    }

    /** Writes the daemon's configuration: a module per run and variant, each a new folder. */
    static Daemon configure(Path dir, int runs, List<String> tools) throws IOException {
      StringBuilder conf = new StringBuilder("use chroot = false\n");
      try {
        Object uid = Files.getAttribute(dir, "unix:uid");
        Object gid = Files.getAttribute(dir, "unix:gid");
        conf.append("uid = ").append(uid).append("\ngid = ").append(gid).append('\n');
      } catch (UnsupportedOperationException | IllegalArgumentException e) {
        // not a Unix file system: rsync's defaults
      }
      for (int run = 1; run <= runs; run++) {
        for (String tool : tools) {
          if (tool.startsWith("rsync")) {
            Path path =
                Files.createDirectories(
                    dir.resolve("run-" + run).resolve(module(tool, run) + "-daemon"));
            conf.append('[')
                .append(module(tool, run))
                .append("]\npath = ")
                .append(path.toAbsolutePath())
                .append("\nread only = false\n");
          }
        }
      }
      Path config = dir.resolve("rsyncd.conf");
      Files.writeString(config, conf, StandardCharsets.UTF_8);
      return new Daemon(dir, config);
    }

    @Override
    public void begin() throws IOException, InterruptedException {
      if (process != null) {
        throw new IllegalStateException("the rsync daemon on port " + port + " is still running");
      }
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort(); // a small race with other programs; the daemon fails loudly then
      }
      started++;
      Path logs = Files.createDirectories(dir.resolve("rsyncd-logs"));
      Path log = logs.resolve("rsyncd-" + started + ".log");
      report = GnuTime.available() ? logs.resolve("rsyncd-" + started + ".time") : null;
      List<String> cmd = new ArrayList<>();
      if (report != null) {
        cmd.addAll(GnuTime.prefix(report));
      }
      cmd.addAll(
          List.of(
              "rsync",
              "--daemon",
              "--no-detach",
              "--config=" + config,
              "--address=127.0.0.1",
              "--port=" + port));
      process =
          new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          return;
        } catch (IOException e) {
          if (!process.isAlive() || System.nanoTime() > end) {
            stop();
            throw new IOException(
                "the rsync daemon did not start on port " + port + ": " + Files.readString(log), e);
          }
          Thread.sleep(5); // polling a port that is about to open; no event to wait for
        }
      }
    }

    /** The rsync process: GNU time's child, or the process itself. */
    private ProcessHandle rsync() {
      if (report == null) {
        return process.toHandle();
      }
      return process.toHandle().children().findFirst().orElse(process.toHandle());
    }

    @Override
    public Usage end() throws IOException, InterruptedException {
      if (process == null) {
        throw new IllegalStateException("no rsync daemon running");
      }
      ProcessHandle rsync = rsync();
      // the connection children of the scenario end right after their client; count them all
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (rsync.children().findAny().isPresent() && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      long cpu = report == null ? ProcessUsage.cpuNanos(rsync.pid()) : -1;
      long children = report == null ? ProcessUsage.childrenCpuNanos(rsync.pid()) : -1;
      rsync.destroy(); // SIGTERM to rsync; GNU time, its parent, then writes the report
      stop();
      if (report == null) {
        return new Usage(cpu < 0 || children < 0 ? -1 : cpu + children, -1);
      }
      return GnuTime.read(report);
    }

    private void stop() throws InterruptedException {
      Process p = process;
      process = null;
      if (p == null) {
        return;
      }
      if (!p.waitFor(10, TimeUnit.SECONDS)) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, TimeUnit.SECONDS);
      }
    }

    int port() {
      if (process == null) {
        throw new IllegalStateException("no rsync daemon running; begin() first");
      }
      return port;
    }

    @Override
    public String method() {
      return GnuTime.available()
          ? "rsync daemon (--no-detach) started per scenario under GNU time: CPU and max RSS"
              + " include the connection children it waited for"
          : "rsync daemon per scenario: CPU from /proc/PID/stat (own + waited-for children), peak"
              + " RSS n/a (no GNU time)";
    }

    @Override
    public void close() {
      if (process != null) {
        process.toHandle().descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
          stop();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
