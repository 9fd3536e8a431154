package io.vaultsync.benchmarks;

import java.io.IOException;

/**
 * The server a tool talks to, metered per scenario: {@link #begin} before the scenario's first
 * command, {@link #end} after its last, which returns the server's CPU time and peak RSS in
 * between.
 */
interface ServerSide extends AutoCloseable {
  /** Starts metering (and, for a server started per scenario, starts it). */
  void begin() throws IOException, InterruptedException;

  /** Stops metering; the server's usage since {@link #begin}. */
  Usage end() throws IOException, InterruptedException;

  /** How this side is metered, for the report. */
  String method();

  @Override
  void close() throws IOException;
}
