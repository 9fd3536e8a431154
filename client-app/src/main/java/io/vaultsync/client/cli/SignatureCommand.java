package io.vaultsync.client.cli;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureParams;
import java.io.IOException;
import java.nio.file.Files;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code vaultsync signature BASIS SIG}: like {@code rdiff signature}. */
@Command(
    name = "signature",
    description = {
      "Write the signature of BASIS to SIG: the block checksums that delta needs.",
      "The block length follows BASIS's size unless --block-size is given. When BASIS is - (stdin)"
          + " its size is unknown, so the block length is "
          + SignatureCommand.STDIN_BLOCK_LENGTH
          + " (rdiff's default) and the strong hash keeps all "
          + SignatureParams.MAX_STRONG_LENGTH
          + " bytes unless --block-size or --sum-size say otherwise."
    })
final class SignatureCommand extends FileCommand {
  /** Block length when the basis comes from stdin and its length is unknown: rdiff's default. */
  static final int STDIN_BLOCK_LENGTH = 2048;

  @Parameters(index = "0", paramLabel = "BASIS", description = "The file to sign, or - for stdin.")
  String basis;

  @Parameters(
      index = "1",
      paramLabel = "SIG",
      description = "The signature file to write, or - for stdout.")
  String signature;

  @Option(
      names = {"-b", "--block-size"},
      paramLabel = "BYTES",
      description =
          "Block length, "
              + SignatureParams.MIN_BLOCK_LENGTH
              + ".."
              + SignatureParams.MAX_BLOCK_LENGTH
              + " (default: from BASIS's size; "
              + STDIN_BLOCK_LENGTH
              + " for stdin).")
  Integer blockSize;

  @Option(
      names = {"-S", "--sum-size"},
      paramLabel = "BYTES",
      description =
          "Bytes of each block's strong hash to keep, "
              + SignatureParams.MIN_STRONG_LENGTH
              + ".."
              + SignatureParams.MAX_STRONG_LENGTH
              + " (default: from BASIS's size; "
              + SignatureParams.MAX_STRONG_LENGTH
              + " for stdin).")
  Integer sumSize;

  @Override
  StatsLine run() throws IOException {
    checkRange(
        "--block-size",
        blockSize,
        SignatureParams.MIN_BLOCK_LENGTH,
        SignatureParams.MAX_BLOCK_LENGTH);
    checkRange(
        "--sum-size",
        sumSize,
        SignatureParams.MIN_STRONG_LENGTH,
        SignatureParams.MAX_STRONG_LENGTH);
    SignatureParams params = params();
    Signature sig;
    long inputBytes;
    try (CountingInputStream in = new CountingInputStream(openInput(basis))) {
      sig = Deltas.signature(in, params, executor());
      inputBytes = in.count();
    }
    long signatureBytes =
        writeOutput(
            signature,
            out -> {
              CountingOutputStream counted = new CountingOutputStream(out);
              Deltas.writeSignature(sig, counted);
              return counted.count();
            });
    return statsLine()
        .put("inputBytes", inputBytes)
        .put("signatureBytes", signatureBytes)
        .put("blocks", sig.blockCount())
        .put("blockLength", sig.blockLength());
  }

  private SignatureParams params() throws IOException {
    if (STDIO.equals(basis)) {
      return new SignatureParams(
          blockSize != null ? blockSize : STDIN_BLOCK_LENGTH,
          sumSize != null ? sumSize : SignatureParams.MAX_STRONG_LENGTH);
    }
    long size = Files.size(existingFile(basis));
    SignatureParams p =
        blockSize != null
            ? SignatureParams.withBlockLength(size, blockSize)
            : SignatureParams.forBasisLength(size);
    return sumSize != null ? new SignatureParams(p.blockLength(), sumSize) : p;
  }

  private static void checkRange(String option, Integer value, int min, int max) {
    if (value != null && (value < min || value > max)) {
      throw new IllegalArgumentException(
          option + " " + value + " is out of range; expected " + min + ".." + max);
    }
  }
}
