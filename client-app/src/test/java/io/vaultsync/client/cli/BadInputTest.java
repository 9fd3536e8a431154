package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Bad input ends with exit code 2 and one line on stderr naming the problem, never a stack trace,
 * and leaves no output file (nor temporary file) behind; an existing output stays as it was.
 */
class BadInputTest {
  @TempDir Path dir;

  private Path basis;
  private Path target;
  private Path sig;
  private Path delta;
  private Path out;

  @BeforeEach
  void makeGoodFiles() throws IOException {
    Random r = new Random(99);
    byte[] old = Cli.text(r, 100_000);
    basis = Files.write(dir.resolve("old.md"), old);
    target = Files.write(dir.resolve("new.md"), Cli.mutate(r, old, 5));
    sig = dir.resolve("old.sig");
    delta = dir.resolve("new.delta");
    out = dir.resolve("out.md");
    assertThat(Cli.run("signature", basis + "", sig + "").exitCode()).isZero();
    assertThat(Cli.run("delta", sig + "", target + "", delta + "").exitCode()).isZero();
  }

  @Test
  void truncatedDelta() throws IOException {
    byte[] d = Files.readAllBytes(delta);
    Path cut = Files.write(dir.resolve("cut.delta"), Arrays.copyOf(d, d.length / 2));
    assertBadInput(
        Cli.run("patch", basis + "", cut + "", out + ""),
        "vaultsync: patch: truncated input: input ended at offset ");
  }

  @Test
  void truncatedDeltaOnStdin() throws IOException {
    byte[] d = Files.readAllBytes(delta);
    assertBadInput(
        Cli.run(Arrays.copyOf(d, 17), "patch", basis + "", "-", out + ""),
        "vaultsync: patch: truncated input: input ended at offset 17");
  }

  @Test
  void wrongMagic() throws IOException {
    Path notDelta = Files.write(dir.resolve("x.delta"), "# just a note\n".getBytes());
    assertBadInput(
        Cli.run("patch", basis + "", notDelta + "", out + ""),
        "vaultsync: patch: bad header: not a vaultsync delta: magic 23206a75");
  }

  @Test
  void signatureGivenAsDelta() {
    assertBadInput(
        Cli.run("patch", basis + "", sig + "", out + ""),
        "vaultsync: patch: bad header: not a vaultsync delta: magic 76737367");
  }

  @Test
  void deltaGivenAsSignature() {
    assertBadInput(
        Cli.run("delta", delta + "", target + "", out + ""),
        "vaultsync: delta: bad header: not a vaultsync signature");
  }

  @Test
  void wrongBasisFailsTheHashCheck() throws IOException {
    Path other = Files.write(dir.resolve("other.md"), Cli.text(new Random(1), 100_000));
    assertBadInput(
        Cli.run("patch", other + "", delta + "", out + ""), "vaultsync: patch: corrupt input: ");
  }

  @Test
  void missingFiles() {
    Path missing = dir.resolve("missing.md");
    assertBadInput(
        Cli.run("patch", missing + "", delta + "", out + ""),
        "vaultsync: patch: no such file: " + missing);
    assertBadInput(
        Cli.run("patch", basis + "", missing + "", out + ""),
        "vaultsync: patch: no such file: " + missing);
    assertBadInput(
        Cli.run("delta", sig + "", missing + "", out + ""),
        "vaultsync: delta: no such file: " + missing);
    assertBadInput(
        Cli.run("signature", missing + "", out + ""),
        "vaultsync: signature: no such file: " + missing);
  }

  @Test
  void outputInAMissingFolder() {
    Path nowhere = dir.resolve("no/such/folder/out.md");
    Cli.Run run = Cli.run("patch", basis + "", delta + "", nowhere + "");
    assertBadInput(run, "vaultsync: patch: no such folder: ");
    assertThat(nowhere.getParent()).doesNotExist();
  }

  @Test
  void outputThatIsAFolderIsRefused() throws IOException {
    Path folder = Files.createDirectory(out);
    assertThat(Cli.run("patch", basis + "", delta + "", folder + "").exitCode()).isEqualTo(2);
    assertThat(folder).isDirectory();
  }

  @Test
  void blockSizeOutOfRange() {
    assertBadInput(
        Cli.run("signature", "--block-size", "3", basis + "", out + ""),
        "vaultsync: signature: --block-size 3 is out of range; expected 16..");
    assertBadInput(
        Cli.run("signature", "--sum-size", "99", basis + "", out + ""),
        "vaultsync: signature: --sum-size 99 is out of range; expected 4..16");
  }

  @Test
  void existingOutputIsUntouchedAfterAFailedPatch() throws IOException {
    byte[] precious = "my precious note\n".getBytes(StandardCharsets.UTF_8);
    Files.write(out, precious);
    byte[] d = Files.readAllBytes(delta);
    Path cut = Files.write(dir.resolve("cut.delta"), Arrays.copyOf(d, d.length - 1));

    Cli.Run run = Cli.run("patch", basis + "", cut + "", out + "");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.stderrLines()).singleElement().asString().contains("truncated input");
    assertThat(out).hasBinaryContent(precious);
    assertThat(Cli.tempFiles(dir)).isEmpty();
  }

  @Test
  void existingSignatureIsUntouchedAfterAFailedSignature() throws IOException {
    byte[] before = Files.readAllBytes(sig);
    Cli.Run run = Cli.run("signature", "-b", "1", basis + "", sig + "");
    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(sig).hasBinaryContent(before);
  }

  /** Pins that a failed write to stdout (closed pipe, full disk) is reported, not swallowed. */
  @Test
  void failedWriteToStdoutExitsWithTwo() {
    OutputStream closedPipe =
        new OutputStream() {
          @Override
          public void write(int b) throws IOException {
            throw new IOException("Broken pipe");
          }
        };
    StringWriter err = new StringWriter();
    CommandLine cli =
        VaultsyncCommand.commandLine(
            new VaultsyncCommand(new ByteArrayInputStream(new byte[0]), closedPipe), "patch");
    cli.setErr(new PrintWriter(err, true));

    int code = cli.execute("patch", basis + "", delta + "", "-");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString().lines()).containsExactly("vaultsync: patch: I/O error: Broken pipe");
  }

  @Test
  void stdinBasisIsAUsageError() {
    Cli.Run run = Cli.run("patch", "-", delta + "", out + "");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(run.stderr()).startsWith("BASIS cannot be - (stdin)");
    assertThat(out).doesNotExist();
  }

  @Test
  void twoInputsFromStdinIsAUsageError() {
    Cli.Run run = Cli.run("delta", "-", "-", out + "");
    assertThat(run.exitCode()).isEqualTo(1);
    assertThat(out).doesNotExist();
  }

  @Test
  void usageErrorsExitWithOne() {
    assertThat(Cli.run("patch", basis + "", delta + "").exitCode()).isEqualTo(1);
    assertThat(Cli.run("delta", "--no-such-option", "a", "b", "c").exitCode()).isEqualTo(1);
    assertThat(Cli.run("signature", "--block-size", "big", "a", "b").exitCode()).isEqualTo(1);
    assertThat(Cli.run().exitCode()).isEqualTo(1);
    assertThat(Cli.run("rsync").exitCode()).isEqualTo(1);
  }

  /** Exit 2, exactly one stderr line starting with {@code prefix}, no output, no temp files. */
  private void assertBadInput(Cli.Run run, String prefix) {
    assertThat(run.exitCode()).as("exit code; stderr: %s", run.stderr()).isEqualTo(2);
    assertThat(run.stderrLines()).singleElement().asString().startsWith(prefix);
    assertThat(run.stdout()).isEmpty();
    assertThat(out).doesNotExist();
    try {
      assertThat(Cli.tempFiles(dir)).isEmpty();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
