package io.vaultsync.client.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The index golden files: what the writers produce today equals them byte for byte, they read as
 * the worked example says, and the hex dumps in docs/FORMAT.md section 10 equal them.
 */
class IndexGoldenFilesTest {
  @TempDir Path tmp;

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = IndexGoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"index", "index.journal", "index-v1"})
  void theWritersStillProduceTheGoldenBytes(String name) throws IOException {
    IndexGoldenFiles.write(tmp);
    assertThat(HexFormat.of().formatHex(Files.readAllBytes(tmp.resolve(name))))
        .isEqualTo(HexFormat.of().formatHex(golden(name)));
  }

  @Test
  void theGoldenSnapshotAndJournalReadAsTheWorkedExampleSays() throws IOException {
    Files.write(tmp.resolve(IndexStore.SNAPSHOT), golden("index"));
    Files.write(tmp.resolve(IndexStore.JOURNAL), golden("index.journal"));
    LocalIndex read = IndexStore.read(tmp);
    assertThat(read.lastSeq()).isEqualTo(IndexGoldenFiles.afterJournal().lastSeq());
    assertThat(read.entries()).isEqualTo(IndexGoldenFiles.afterJournal().entries());

    Files.delete(tmp.resolve(IndexStore.JOURNAL));
    Files.write(tmp.resolve(IndexStore.SNAPSHOT), golden("index-v1"));
    LocalIndex v1 = IndexStore.read(tmp);
    assertThat(v1.entries()).isEqualTo(IndexGoldenFiles.snapshot().entries());
    assertThat(v1.lastSeq()).isEqualTo(7);
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"index", "index.journal"})
  void theHexDumpInFormatDocEqualsTheGoldenFile(String name) throws IOException {
    assertThat(HexFormat.of().formatHex(hexBlockAfter("Worked example: client " + name)))
        .isEqualTo(HexFormat.of().formatHex(golden(name)));
  }

  /** The first fenced hex block (xxd layout) after a heading of docs/FORMAT.md. */
  static byte[] hexBlockAfter(String heading) throws IOException {
    Path doc =
        Files.exists(Path.of("../docs/FORMAT.md"))
            ? Path.of("../docs/FORMAT.md")
            : Path.of("docs/FORMAT.md");
    List<String> lines = Files.readAllLines(doc);
    int i = 0;
    while (i < lines.size() && !lines.get(i).endsWith(heading)) {
      i++;
    }
    assertThat(i).as("heading %s in FORMAT.md", heading).isLessThan(lines.size());
    while (!lines.get(i).startsWith("```hex")) {
      i++;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    for (i++; !lines.get(i).startsWith("```"); i++) {
      String line = lines.get(i);
      assertThat(Long.parseLong(line.substring(0, 8), 16)).as(line).isEqualTo(bytes.size());
      byte[] row =
          HexFormat.of().parseHex(line.substring(10, Math.min(line.length(), 49)).replace(" ", ""));
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
