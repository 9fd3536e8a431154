package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.core.delta.DeltaEncoder;
import io.vaultsync.core.format.DeltaWriter;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.core.signature.SignatureBuilder;
import io.vaultsync.core.signature.SignatureParams;
import java.io.ByteArrayOutputStream;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TargetHashSinkTest {
  @Test
  void keepsTheHashTheEncoderDeclaresWhichIsTheTargetsSha256AndPassesTheDeltaOn() throws Exception {
    long seed = System.nanoTime();
    System.out.println("TargetHashSinkTest seed " + seed);
    Random random = new Random(seed);
    byte[] basis = new byte[100_000];
    random.nextBytes(basis);
    byte[] target = basis.clone();
    target[random.nextInt(target.length)] ^= 1;
    var sig = SignatureBuilder.of(basis, SignatureParams.forBasisLength(basis.length));

    ByteArrayOutputStream plain = new ByteArrayOutputStream();
    DeltaEncoder direct = new DeltaEncoder(sig, new DeltaWriter(plain));
    direct.update(target, 0, target.length);
    direct.finish();
    ByteArrayOutputStream wrapped = new ByteArrayOutputStream();
    TargetHashSink sink = new TargetHashSink(new DeltaWriter(wrapped));
    DeltaEncoder encoder = new DeltaEncoder(sig, sink);
    assertThatThrownBy(sink::targetHash).isInstanceOf(IllegalStateException.class);
    encoder.update(target, 0, target.length);
    encoder.finish();

    assertThat(sink.targetHash()).isEqualTo(ContentHash.digestOf(target));
    assertThat(wrapped.toByteArray()).isEqualTo(plain.toByteArray());
  }
}
