package io.vaultsync.core.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.delta.Basis;
import io.vaultsync.core.delta.Patcher;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The committed golden vectors pin the byte format: what the code produces now must equal them,
 * they must patch to the committed target, and the worked hex dumps in docs/FORMAT.md must equal
 * them. Only {@link GoldenFiles#main}, run by hand, writes them.
 */
class GoldenFilesTest {
  /**
   * docs/FORMAT.md, found from the module folder surefire runs in (or from the repository root).
   */
  static Path formatDoc() {
    for (Path p : List.of(Path.of("../docs/FORMAT.md"), Path.of("docs/FORMAT.md"))) {
      if (Files.isRegularFile(p)) {
        return p;
      }
    }
    throw new IllegalStateException(
        "docs/FORMAT.md not found from " + Path.of("").toAbsolutePath());
  }

  static byte[] golden(String name) throws IOException {
    try (InputStream in = GoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden/%s on the test class path", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void inputsAreTheCommittedOnes() throws IOException {
    assertThat(golden("basis.txt")).isEqualTo(GoldenFiles.basis());
    assertThat(golden("target.txt")).isEqualTo(GoldenFiles.target());
  }

  @Test
  void signatureComputedNowEqualsGoldenBytes() throws IOException {
    assertThat(HexFormat.of().formatHex(GoldenFiles.signatureBytes()))
        .isEqualTo(HexFormat.of().formatHex(golden("block16.sig")));
  }

  @Test
  void deltaComputedNowEqualsGoldenBytes() throws IOException {
    assertThat(HexFormat.of().formatHex(GoldenFiles.deltaBytes()))
        .isEqualTo(HexFormat.of().formatHex(golden("block16.delta")));
  }

  @Test
  void goldenSignatureReadsBackToTheSignatureOfTheBasis() throws IOException {
    assertThat(SignatureFormat.read(new ByteArrayInputStream(golden("block16.sig"))))
        .isEqualTo(GoldenFiles.signature());
  }

  @Test
  void patchingBasisWithGoldenDeltaYieldsTarget() throws IOException {
    byte[] target = golden("target.txt");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Patcher patcher = new Patcher(Basis.of(golden("basis.txt")), out);
    DeltaReader.read(new ByteArrayInputStream(golden("block16.delta")), patcher);
    assertThat(out.toByteArray()).isEqualTo(target);
    assertThat(patcher.verifiedHash()).isEqualTo(ContentHash.digestOf(target));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"block16.sig", "block16.delta"})
  void hexDumpInFormatDocEqualsGoldenFile(String name) throws IOException {
    String doc = Files.readString(formatDoc(), StandardCharsets.UTF_8);
    assertThat(HexFormat.of().formatHex(parseWorkedExample(doc, name)))
        .isEqualTo(HexFormat.of().formatHex(golden(name)));
  }

  /**
   * The bytes of the first {@code ```hex} block after the heading "Worked example: NAME", in xxd's
   * layout: {@code OOOOOOOO: hhhh hhhh … (up to 16 bytes) ascii}. Checks offsets and the ASCII
   * column too, so the dump cannot drift from its own bytes.
   */
  static byte[] parseWorkedExample(String doc, String name) {
    List<String> lines = doc.lines().toList();
    int i = 0;
    while (i < lines.size()
        && !lines.get(i).matches("#+ Worked example: " + name.replace(".", "\\."))) {
      i++;
    }
    assertThat(i).as("heading \"Worked example: %s\" in FORMAT.md", name).isLessThan(lines.size());
    while (i < lines.size() && !lines.get(i).equals("```hex")) {
      i++;
    }
    assertThat(i).as("a ```hex block after the heading for %s", name).isLessThan(lines.size());
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (i++; !lines.get(i).equals("```"); i++) {
      String line = lines.get(i);
      assertThat(line).as("xxd line").matches("[0-9a-f]{8}: .*");
      assertThat(Long.parseLong(line.substring(0, 8), 16)).as(line).isEqualTo(bytes.size());
      String hexArea = line.substring(10, Math.min(line.length(), 49));
      byte[] row = HexFormat.of().parseHex(hexArea.replace(" ", ""));
      assertThat(row.length).as(line).isBetween(1, 16);
      StringBuilder ascii = new StringBuilder();
      for (byte b : row) {
        ascii.append(b >= 0x20 && b < 0x7f ? (char) b : '.');
      }
      assertThat(line.substring(51)).as("ASCII column of %s", line).isEqualTo(ascii.toString());
      bytes.write(row, 0, row.length);
    }
    return bytes.toByteArray();
  }
}
