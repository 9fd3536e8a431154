package io.vaultsync.core.format;

import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.signature.Signature;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The golden vectors in {@code src/test/resources/golden/}, named by their parameters as librsync
 * names its test signatures: {@code basis.txt}, {@code target.txt}, {@code block16.sig} and {@code
 * block16.delta}.
 *
 * <p>{@link #main} rewrites them and is only ever run by hand, after a deliberate change of the
 * format (which also bumps its version byte):
 *
 * <pre>
 *   ./mvnw -B -q -pl delta-core test-compile
 *   java -cp delta-core/target/classes:delta-core/target/test-classes:$LZ4_JAR:$HASH4J_JAR \
 *       io.vaultsync.core.format.GoldenFiles delta-core/src/test/resources/golden
 * </pre>
 *
 * <p>No test calls {@link #main}: {@code GoldenFilesTest} compares what the code produces now with
 * the committed bytes, so an accidental change of the format fails the build.
 */
public final class GoldenFiles {
  /** The block length of the golden signature and delta. */
  public static final int BLOCK_LENGTH = 16;

  static final String LINE = "Hello, vaultsync!\n";

  private GoldenFiles() {}

  /** Six lines of {@value #LINE}: 108 bytes. */
  public static byte[] basis() {
    return LINE.repeat(6).getBytes(StandardCharsets.US_ASCII);
  }

  /** The basis with its fourth line replaced by a repetitive line (so its literal is LZ4). */
  public static byte[] target() {
    return (LINE.repeat(3) + "la la la la la la la la la la la la!\n" + LINE.repeat(2))
        .getBytes(StandardCharsets.US_ASCII);
  }

  public static Signature signature() {
    byte[] basis = basis();
    return SignatureBuilder.of(basis, SignatureParams.withBlockLength(basis.length, BLOCK_LENGTH));
  }

  public static byte[] signatureBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    SignatureFormat.write(signature(), out);
    return out.toByteArray();
  }

  public static byte[] deltaBytes() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    DeltaEncoder encoder = new DeltaEncoder(signature(), new DeltaWriter(out));
    byte[] target = target();
    encoder.update(target, 0, target.length);
    encoder.finish();
    return out.toByteArray();
  }

  /** Writes the four files into the folder given as the only argument. */
  public static void main(String[] args) throws IOException {
    if (args.length != 1) {
      System.err.println(
          "usage: GoldenFiles <folder>  (e.g. delta-core/src/test/resources/golden)");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    Files.createDirectories(dir);
    Files.write(dir.resolve("basis.txt"), basis());
    Files.write(dir.resolve("target.txt"), target());
    Files.write(dir.resolve("block16.sig"), signatureBytes());
    Files.write(dir.resolve("block16.delta"), deltaBytes());
    System.out.println("wrote golden files to " + dir.toAbsolutePath());
  }
}
