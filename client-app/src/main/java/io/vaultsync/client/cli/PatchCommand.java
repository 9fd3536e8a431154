package io.vaultsync.client.cli;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.delta.Basis;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** {@code vaultsync patch BASIS DELTA OUT}: like {@code rdiff patch}. */
@Command(
    name = "patch",
    description = {
      "Apply DELTA to BASIS and write the result to OUT; the result's length and SHA-256 are"
          + " checked against the ones DELTA declares.",
      "BASIS must be a file (patch reads it at random offsets). With OUT a file, a failed patch"
          + " leaves nothing behind. With OUT - (stdout) the output is streamed as it is made, so a"
          + " failed check (exit 2) leaves partial output on stdout: discard it."
    })
final class PatchCommand extends FileCommand {
  @Parameters(index = "0", paramLabel = "BASIS", description = "The basis file (not -).")
  String basis;

  @Parameters(index = "1", paramLabel = "DELTA", description = "The delta, or - for stdin.")
  String delta;

  @Parameters(index = "2", paramLabel = "OUT", description = "The file to write, or - for stdout.")
  String output;

  @Override
  StatsLine run() throws IOException {
    if (STDIO.equals(basis)) {
      throw new ParameterException(
          spec.commandLine(),
          "BASIS cannot be - (stdin): patch reads the basis at random offsets, so it must be a"
              + " file");
    }
    try (FileChannel channel = FileChannel.open(existingFile(basis), StandardOpenOption.READ);
        CountingInputStream in = new CountingInputStream(openInput(delta))) {
      Basis b = Basis.of(channel);
      long outputBytes =
          writeOutput(
              output,
              out -> {
                CountingOutputStream counted = new CountingOutputStream(out);
                Deltas.patch(b, in, counted, executor());
                return counted.count();
              });
      return statsLine().put("deltaBytes", in.count()).put("outputBytes", outputBytes);
    }
  }
}
