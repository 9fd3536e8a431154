package io.vaultsync.benchmarks;

import io.vaultsync.server.app.ServerData;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Device tokens a benchmark creates in a server's data folder before the server starts. */
public final class BenchTokens {
  private BenchTokens() {}

  /** A new token for each of {@code devices}, by device name, in order. */
  public static Map<String, String> create(Path data, List<String> devices) throws IOException {
    Map<String, String> tokens = new LinkedHashMap<>();
    try (ServerData.TokenDatabase db = ServerData.openTokens(data, Clock.systemUTC())) {
      for (String device : devices) {
        tokens.put(device, db.tokens().create(device));
      }
    }
    return tokens;
  }
}
