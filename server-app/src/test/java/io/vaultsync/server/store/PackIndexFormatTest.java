package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackIndexFormatTest {
  /**
   * The worked example of docs/FORMAT.md section 9: {@code hello\n} whole at offset 0, and {@code
   * hello\nhello again\n} as a 58-byte delta against it at offset 6.
   */
  static List<PackIndexFormat.Entry> example() {
    ContentHash a = ContentHash.digestOf("hello\n".getBytes(StandardCharsets.UTF_8));
    ContentHash b = ContentHash.digestOf("hello\nhello again\n".getBytes(StandardCharsets.UTF_8));
    return List.of(new PackIndexFormat.Entry(a, 0, 6), new PackIndexFormat.Entry(b, 6, 58, a, 18));
  }

  static byte[] write(List<PackIndexFormat.Entry> entries, long packLength) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PackIndexFormat.write(entries, packLength, false, out);
    return out.toByteArray();
  }

  @Test
  void workedExampleInFormatMdEqualsWhatTheWriterProduces() throws IOException {
    byte[] written = write(example(), 64);
    assertThat(HexFormat.of().formatHex(written))
        .isEqualTo(
            HexFormat.of().formatHex(hexBlockAfter("Worked example: pack index with a delta")));
    assertThat(PackIndexFormat.read(written).entries()).isEqualTo(example());
  }

  @Test
  void wholeOnlyIndexKeepsVersionOneLayout() throws IOException {
    byte[] written = write(example().subList(0, 1), 6);
    assertThat(written).hasSize(20 + 48 + 4);
    assertThat(written[4]).isEqualTo((byte) 1);
    assertThat(PackIndexFormat.read(written).entries()).isEqualTo(example().subList(0, 1));
  }

  @Test
  void everyTruncationAndBitFlipOfAVersionTwoIndexIsAFormatError() throws IOException {
    byte[] good = write(example(), 64);
    for (int n = 0; n < good.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(good, n);
      assertThatThrownBy(() -> PackIndexFormat.read(cut)).isInstanceOf(FormatException.class);
    }
    for (int bit = 0; bit < good.length * 8; bit++) {
      byte[] flipped = good.clone();
      flipped[bit / 8] ^= (byte) (1 << (bit % 8));
      assertThatThrownBy(() -> PackIndexFormat.read(flipped))
          .as("bit %d", bit)
          .isInstanceOf(FormatException.class);
    }
  }

  /** The first fenced hex block (xxd layout) after a heading of docs/FORMAT.md. */
  static byte[] hexBlockAfter(String heading) throws IOException {
    Path doc =
        Files.exists(Path.of("../docs/FORMAT.md"))
            ? Path.of("../docs/FORMAT.md")
            : Path.of("docs/FORMAT.md");
    List<String> lines = Files.readAllLines(doc);
    int i = 0;
    while (i < lines.size() && !lines.get(i).contains(heading)) {
      i++;
    }
    assertThat(i).as("heading %s in FORMAT.md", heading).isLessThan(lines.size());
    while (!lines.get(i).startsWith("```hex")) {
      i++;
    }
    StringBuilder hex = new StringBuilder();
    for (i++; !lines.get(i).startsWith("```"); i++) {
      String line = lines.get(i);
      String body = line.substring(line.indexOf(':') + 1);
      int ascii = body.indexOf("  ", 1);
      hex.append((ascii < 0 ? body : body.substring(0, ascii)).replace(" ", ""));
    }
    return HexFormat.of().parseHex(hex.toString());
  }
}
