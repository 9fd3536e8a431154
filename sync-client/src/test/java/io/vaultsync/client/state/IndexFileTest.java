package io.vaultsync.client.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.format.FormatException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import io.vaultsync.model.tree.NotePath;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IndexFileTest {
  @TempDir Path tmp;

  private LocalIndex sample() {
    byte[] data = "some note\n".repeat(100).getBytes();
    return new LocalIndex(
        42,
        List.of(
            new IndexEntry(
                NotePath.of("a/b.md"),
                data.length,
                123,
                ContentHash.digestOf(data),
                KeptSignature.of(
                    SignatureBuilder.of(data, SignatureParams.forBasisLength(data.length)))),
            new IndexEntry(NotePath.of("é.md"), 0, -5, ContentHash.digestOf(new byte[0]), null)));
  }

  @Test
  void roundTripsEntriesSignaturesAndSeq() throws IOException {
    Path f = tmp.resolve("index");
    IndexFile.write(f, sample(), 7);
    LocalIndex back = IndexFile.read(f);
    assertThat(back.lastSeq()).isEqualTo(42);
    assertThat(back.entries()).isEqualTo(sample().entries());
    assertThat(back.get(NotePath.of("a/b.md")).signature().signature().blockCount()).isPositive();
  }

  @Test
  void missingIndexIsEmpty() throws IOException {
    assertThat(IndexFile.read(tmp.resolve("none")).size()).isZero();
  }

  @Test
  void everyTruncationAndBitFlipIsACleanFormatError() throws IOException {
    long seed = new Random().nextLong();
    System.out.println("IndexFileTest seed=" + seed);
    Random rnd = new Random(seed);
    Path f = tmp.resolve("index");
    IndexFile.write(f, sample(), 7);
    byte[] good = Files.readAllBytes(f);
    for (int len = 0; len < good.length; len++) {
      byte[] cut = java.util.Arrays.copyOf(good, len);
      assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(cut), "cut").index())
          .isInstanceOf(FormatException.class);
    }
    for (int i = 0; i < 300; i++) {
      byte[] bad = good.clone();
      bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
      assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(bad), "flipped").index())
          .isInstanceOf(FormatException.class);
    }
  }

  @Test
  void aBadEntryIsNamedByItsPlaceInTheFile() throws IOException {
    Path f = tmp.resolve("index");
    IndexFile.write(f, sample(), 7);
    byte[] bad = Files.readAllBytes(f);
    // header: magic 4 | version 1 | generation 8 | seq 8 | count 4; entry 0's path length follows
    int entry0 = 4 + 1 + 8 + 8 + 4;
    bad[entry0] = (byte) 0xff; // path length 0xff06: beyond NotePath.MAX_BYTES
    assertThatThrownBy(() -> IndexFile.read(new ByteArrayInputStream(bad), "x").index())
        .isInstanceOf(FormatException.class)
        .hasMessageContaining("index x entry 0 path length");
  }
}
