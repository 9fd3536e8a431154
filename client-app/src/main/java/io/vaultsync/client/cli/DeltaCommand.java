package io.vaultsync.client.cli;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.format.DeltaStats;
import io.vaultsync.core.signature.Signature;
import java.io.IOException;
import java.io.InputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code vaultsync delta SIG NEW DELTA}: like {@code rdiff delta}. */
@Command(
    name = "delta",
    description = {
      "Write to DELTA the changes that turn the basis SIG was made from into NEW.",
      "NEW is streamed; memory holds the signature and a window. SIG or NEW (not both) may be -"
          + " (stdin)."
    })
final class DeltaCommand extends FileCommand {
  @Parameters(
      index = "0",
      paramLabel = "SIG",
      description = "The basis's signature, or - for stdin.")
  String signature;

  @Parameters(index = "1", paramLabel = "NEW", description = "The new file, or - for stdin.")
  String target;

  @Parameters(
      index = "2",
      paramLabel = "DELTA",
      description = "The delta file to write, or - for stdout.")
  String delta;

  @Override
  StatsLine run() throws IOException {
    if (STDIO.equals(signature) && STDIO.equals(target)) {
      throw new ParameterException(
          spec.commandLine(), "SIG and NEW cannot both be - (there is only one stdin)");
    }
    Signature sig;
    try (InputStream in = openInput(signature)) {
      sig = Deltas.readSignature(in);
    }
    DeltaStats st;
    try (InputStream in = openInput(target)) {
      st = writeOutput(delta, out -> Deltas.delta(sig, in, out, executor()));
    }
    return statsLine()
        .put("inputBytes", st.targetBytes())
        .put("deltaBytes", st.deltaBytes())
        .put("literalBytes", st.literalBytes())
        .put("copiedBytes", st.copiedBytes());
  }
}
