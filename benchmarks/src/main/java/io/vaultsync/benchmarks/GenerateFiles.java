package io.vaultsync.benchmarks;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes the comparison inputs into a folder: for each kind a basis {@code KIND-basis} and one
 * target {@code KIND-SCENARIO} per {@link BenchData.Scenario}, all from fixed seeds.
 *
 * <pre>
 *   java -cp benchmarks/target/benchmarks.jar io.vaultsync.benchmarks.GenerateFiles DIR [SIZE_MIB [BLOCK]]
 * </pre>
 *
 * SIZE_MIB defaults to 256 and BLOCK (the spacing of the sparse edits) to 2048. Existing files with
 * the same name are replaced.
 */
public final class GenerateFiles {
  private GenerateFiles() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1 || args.length > 3) {
      System.err.println("usage: GenerateFiles DIR [SIZE_MIB (256)] [BLOCK_LENGTH (2048)]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int sizeMiB = args.length > 1 ? Integer.parseInt(args[1]) : 256;
    int block = args.length > 2 ? Integer.parseInt(args[2]) : BenchData.DEFAULT_BLOCK_LENGTH;
    if (sizeMiB < 1 || sizeMiB > 2000) {
      throw new IllegalArgumentException("size " + sizeMiB + " MiB; expected 1..2000");
    }
    Files.createDirectories(dir);
    for (BenchData.Kind kind : BenchData.Kind.values()) {
      String k = kind.name().toLowerCase(Locale.ROOT);
      byte[] basis = BenchData.basis(kind, sizeMiB * BenchData.MIB);
      write(dir.resolve(k + "-basis"), basis);
      for (BenchData.Scenario s : BenchData.Scenario.values()) {
        write(dir.resolve(k + "-" + s.label()), BenchData.target(kind, s, basis, block));
      }
    }
  }

  private static void write(Path file, byte[] data) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      out.write(data);
    }
    System.out.println(file + " " + data.length);
  }
}
