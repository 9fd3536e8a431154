package io.vaultsync.core.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.Deltas;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Writes (basis, target, signature, delta) vectors that Java made to {@code target/ts-vectors}, for
 * the TypeScript tests of obsidian-plugin (test/format/golden.test.ts): its patcher must rebuild
 * each target from Java's delta and its signature writer must reproduce Java's signature byte for
 * byte. The vectors cover every operation kind (COPY, LITERAL, LITERAL_LZ4, copies merged across
 * blocks, the short last block) and deltas above one LZ4 block. CI builds Java before `npm test`.
 */
class TsVectorsTest {
  @Test
  void writesVectorsForTheTypeScriptTests() throws IOException {
    long seed = 20261208L;
    System.out.println("TsVectorsTest seed " + seed);
    Random r = new Random(seed);
    byte[] text = Mutations.text(r, 300_000);
    Map<String, byte[][]> vectors = new LinkedHashMap<>();
    vectors.put("new-file", new byte[][] {new byte[0], Mutations.text(r, 150_000)});
    vectors.put(
        "one-byte-edit", new byte[][] {text, Mutations.splice(text, 123_456, 1, "X".getBytes())});
    vectors.put("mutated", new byte[][] {text, Mutations.mutate(r, text)});
    vectors.put(
        "random-insert",
        new byte[][] {text, Mutations.splice(text, 1_000, 0, Mutations.random(r, 5_000))});
    vectors.put(
        "unrelated", new byte[][] {Mutations.random(r, 70_000), Mutations.random(r, 90_000)});
    vectors.put("short-tail", new byte[][] {Mutations.text(r, 1_000), Mutations.text(r, 20)});
    vectors.put("zeros", new byte[][] {new byte[100_000], new byte[200_001]});
    Path dir = Path.of("target", "ts-vectors");
    Files.createDirectories(dir);
    for (Map.Entry<String, byte[][]> v : vectors.entrySet()) {
      byte[] basis = v.getValue()[0];
      byte[] target = v.getValue()[1];
      byte[] delta = Deltas.delta(basis, target);
      assertThat(Deltas.patch(basis, delta)).as(v.getKey()).isEqualTo(target);
      ByteArrayOutputStream sig = new ByteArrayOutputStream();
      Deltas.writeSignature(
          SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length)), sig);
      String stem = v.getKey();
      Files.write(dir.resolve(stem + ".basis"), basis);
      Files.write(dir.resolve(stem + ".target"), target);
      Files.write(dir.resolve(stem + ".sig"), sig.toByteArray());
      Files.write(dir.resolve(stem + ".delta"), delta);
    }
    assertThat(Files.list(dir).filter(p -> p.toString().endsWith(".delta")).count())
        .isGreaterThanOrEqualTo(vectors.size());
  }
}
