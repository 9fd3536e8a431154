package io.vaultsync.benchmarks;

import io.vaultsync.benchmarks.live.CliProcess;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The vaultsync CLI as a {@link VaultBenchmark.Tool}: one JVM per command (on {@code classpath})
 * against the benchmark's server at {@code url}, A with {@code tokenA} and B with {@code tokenB},
 * bytes from the command's {@code --json} summary.
 */
record VaultsyncTool(String classpath, String url, String tokenA, String tokenB, String vault)
    implements VaultBenchmark.Tool {
  private static final Pattern SENT = Pattern.compile("\"bytesSent\":(\\d+)");
  private static final Pattern RECEIVED = Pattern.compile("\"bytesReceived\":(\\d+)");

  private List<String> cli(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.add("--json");
    return CliProcess.command(List.of(), classpath, a);
  }

  @Override
  public List<String> init(Path a) {
    return cli("init", a.toString(), "--server", url, "--vault", vault, "--token", tokenA);
  }

  @Override
  public List<String> cloneInto(Path b) {
    return cli("clone", url, vault, b.toString(), "--token", tokenB);
  }

  @Override
  public List<String> upload(Path a) {
    return cli("sync", a.toString());
  }

  @Override
  public List<String> download(Path b) {
    return cli("sync", b.toString());
  }

  @Override
  public long[] bytes(List<String> output) throws IOException {
    String json =
        output.stream()
            .filter(l -> l.contains("\"bytesSent\""))
            .findFirst()
            .orElseThrow(() -> new IOException("no JSON summary in " + output));
    return new long[] {number(SENT, json), number(RECEIVED, json)};
  }

  private static long number(Pattern p, String json) throws IOException {
    Matcher m = p.matcher(json);
    if (!m.find()) {
      throw new IOException("no " + p + " in " + json);
    }
    return Long.parseLong(m.group(1));
  }
}
