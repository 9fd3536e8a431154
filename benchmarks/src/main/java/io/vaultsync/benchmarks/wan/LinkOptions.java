package io.vaultsync.benchmarks.wan;

import picocli.CommandLine.Option;

/**
 * The WAN link's shape on a benchmark's command line ({@code --rtt-ms}, {@code --rate-mbit}), a
 * picocli mixin shared by {@code VaultBenchmark} and {@code VaultBenchmarkDocs}.
 */
public final class LinkOptions {
  @Option(
      names = "--rtt-ms",
      description = "Round trip of the wan link, half each way (default ${DEFAULT-VALUE}).")
  public long rttMillis = 50;

  @Option(
      names = "--rate-mbit",
      description = "Rate cap of the wan link per direction, Mbit/s (default ${DEFAULT-VALUE}).")
  public double rateMbit = 20;

  /** The link called {@code name}: {@code loopback}, or {@code wan} of these options' shape. */
  public Link link(String name) {
    return switch (name) {
      case "loopback" -> Link.LOOPBACK;
      case "wan" -> Link.wan(rttMillis, rateMbit);
      default -> throw new IllegalArgumentException("link " + name + ": expected loopback or wan");
    };
  }
}
