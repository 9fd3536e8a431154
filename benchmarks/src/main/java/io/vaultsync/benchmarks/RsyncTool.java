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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * rsync as {@link VaultBenchmark}'s other tool: {@code rsync -a --delete [-z] --stats} against an
 * rsync daemon on 127.0.0.1, one module per run and variant (each a new, empty folder), so both
 * tools start every run from the same state. Bytes are rsync's own "Total bytes sent/received".
 */
final class RsyncTool implements VaultBenchmark.Tool {
  private static final Pattern SENT = Pattern.compile("Total bytes sent: ([\\d,.]+)");
  private static final Pattern RECEIVED = Pattern.compile("Total bytes received: ([\\d,.]+)");

  private final String url;
  private final boolean compress;

  RsyncTool(Daemon daemon, boolean compress, int run, String tool) {
    this.compress = compress;
    this.url = "rsync://127.0.0.1:" + daemon.port() + "/" + Daemon.module(tool, run) + "/";
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
    return rsync(a + "/", url);
  }

  @Override
  public List<String> download(Path b) {
    return rsync(url, b + "/");
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

  /** {@code rsync --daemon --no-detach} on 127.0.0.1, stopped by {@link #close}. */
  static final class Daemon implements AutoCloseable {
    private final Process process;
    private final int port;

    private Daemon(Process process, int port) {
      this.process = process;
      this.port = port;
    }

    static String module(String tool, int run) {
      return tool.replace(" ", "").replace("-", "") + "-" + run;
    }

    /** A daemon with a module per run and rsync variant, each a new folder under the run's. */
    static Daemon start(Path dir, int runs, List<String> tools) throws IOException {
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
      int port;
      try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        port = s.getLocalPort(); // a small race with other programs; the daemon fails loudly then
      }
      Process p =
          new ProcessBuilder(
                  "rsync",
                  "--daemon",
                  "--no-detach",
                  "--config=" + config,
                  "--address=127.0.0.1",
                  "--port=" + port)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("rsyncd.log").toFile())
              .start();
      Daemon d = new Daemon(p, port);
      long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (true) {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
          return d;
        } catch (IOException e) {
          if (!p.isAlive() || System.nanoTime() > end) {
            d.close();
            throw new IOException(
                "the rsync daemon did not start on port "
                    + port
                    + ": "
                    + Files.readString(dir.resolve("rsyncd.log")),
                e);
          }
          try {
            Thread.sleep(20); // polling a port that is about to open; no event to wait for
          } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while the rsync daemon started", ie);
          }
        }
      }
    }

    int port() {
      return port;
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        process.destroyForcibly();
        Thread.currentThread().interrupt();
      }
    }
  }
}
