package io.vaultsync.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.CorruptDataException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The framed pack (version 2) and its index (version 3): what the writers produce today equals the
 * golden files byte for byte, docs/FORMAT.md shows exactly those bytes, and both read back: through
 * the index, and through the record headers alone (the index lost).
 */
class PackGoldenFilesTest {
  @TempDir Path dir;

  private static byte[] golden(String name) throws IOException {
    try (InputStream in = PackGoldenFilesTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file %s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  @Test
  void writersProduceTheGoldenFilesAndFormatMdShowsThem() throws IOException {
    assertThat(PackGoldenFiles.pack()).isEqualTo(golden("pack-v2.pack"));
    assertThat(PackGoldenFiles.index()).isEqualTo(golden("pack-v2.idx"));
    assertThat(hex(PackIndexFormatTest.hexBlockAfter("Worked example: framed pack")))
        .isEqualTo(hex(golden("pack-v2.pack")));
    assertThat(hex(PackIndexFormatTest.hexBlockAfter("Worked example: its index (version 3)")))
        .isEqualTo(hex(golden("pack-v2.idx")));
  }

  @Test
  void goldenIndexReadsAsItsEntriesAndTheRecordHeadersSayTheSame() throws IOException {
    PackIndexFormat.Parsed parsed = PackIndexFormat.read(golden("pack-v2.idx"));
    assertThat(parsed.framed()).isTrue();
    assertThat(parsed.entries()).isEqualTo(PackGoldenFiles.entries());
    Path pack = Files.write(dir.resolve("p.pack"), golden("pack-v2.pack"));
    try (FileChannel ch = FileChannel.open(pack, StandardOpenOption.READ)) {
      PackScanner.Scan scan = PackScanner.scan(ch);
      assertThat(scan.entries()).isEqualTo(parsed.entries());
      assertThat(scan.damaged()).isEmpty();
    }
  }

  @Test
  void goldenPackServesBothObjectsWithItsIndexAndWithout() throws IOException {
    Path packs = Files.createDirectories(dir.resolve("packs"));
    Files.write(packs.resolve("p1.pack"), golden("pack-v2.pack"));
    Files.write(packs.resolve("p1.idx"), golden("pack-v2.idx"));
    assertServesBoth();
    Files.delete(packs.resolve("p1.idx"));
    assertServesBoth();
  }

  private void assertServesBoth() throws IOException {
    try (PackContentStore store = PackContentStore.open(dir)) {
      for (PackIndexFormat.Entry e : PackGoldenFiles.entries()) {
        try (InputStream in = store.open(e.hash()).stream()) {
          assertThat(in.readAllBytes())
              .isEqualTo(e.isDelta() ? PackGoldenFiles.NEWER : PackGoldenFiles.WHOLE);
        }
      }
    }
  }

  @Test
  void everyTruncationAndBitFlipOfARecordHeaderIsACorruptDataError() throws IOException {
    byte[] pack = golden("pack-v2.pack");
    for (int delta = 0; delta < 2; delta++) {
      int at = delta == 0 ? PackFormat.HEADER : PackFormat.HEADER + PackFormat.RECORD_WHOLE + 6;
      int size = PackFormat.recordLength(delta == 1);
      byte[] header = java.util.Arrays.copyOfRange(pack, at, at + size);
      assertThat(PackFormat.readRecord(header, size, at, pack.length))
          .isEqualTo(PackGoldenFiles.entries().get(delta));
      for (int n = 0; n < size; n++) {
        int cut = n;
        assertThatThrownBy(() -> PackFormat.readRecord(header, cut, at, pack.length))
            .isInstanceOf(CorruptDataException.class);
      }
      for (int bit = 0; bit < size * 8; bit++) {
        byte[] flipped = header.clone();
        flipped[bit / 8] ^= (byte) (1 << (bit % 8));
        assertThatThrownBy(() -> PackFormat.readRecord(flipped, size, at, pack.length))
            .as("record %d, bit %d", delta, bit)
            .isInstanceOf(CorruptDataException.class);
      }
    }
  }

  @Test
  void aDamagedRecordHeaderLosesOnlyItsObjectInAWalk() throws IOException {
    byte[] pack = golden("pack-v2.pack");
    pack[PackFormat.HEADER + 10] ^= 0x01; // the first record's stored length
    Path file = Files.write(dir.resolve("p.pack"), pack);
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      PackScanner.Scan scan = PackScanner.scan(ch);
      assertThat(scan.entries()).containsExactly(PackGoldenFiles.entries().get(1));
      assertThat(scan.damaged())
          .singleElement()
          .satisfies(
              d -> {
                assertThat(d.offset()).isEqualTo(PackFormat.HEADER);
                assertThat(d.length()).isEqualTo(PackFormat.RECORD_WHOLE + 6);
              });
    }
  }

  private static String hex(byte[] b) {
    return HexFormat.of().formatHex(b);
  }
}
