package io.vaultsync.core.hash;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link ContentHash#newDigest} clones a prototype: every digest starts fresh and is independent of
 * the others, also when made and used on several threads at once.
 */
class NewDigestTest {
  private static final String ABC_SHA256 =
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

  @Test
  void digestsStartFreshAndDoNotShareState() throws Exception {
    MessageDigest first = ContentHash.newDigest();
    MessageDigest second = ContentHash.newDigest();
    first.update("a".getBytes(StandardCharsets.US_ASCII));
    second.update("abc".getBytes(StandardCharsets.US_ASCII));
    first.update("bc".getBytes(StandardCharsets.US_ASCII));
    assertThat(HexFormat.of().formatHex(first.digest())).isEqualTo(ABC_SHA256);
    assertThat(HexFormat.of().formatHex(second.digest())).isEqualTo(ABC_SHA256);
    assertThat(ContentHash.digestOf("abc".getBytes(StandardCharsets.US_ASCII)).hex())
        .isEqualTo(ABC_SHA256);

    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      Callable<String> task =
          () -> {
            String last = null;
            for (int i = 0; i < 2_000; i++) {
              MessageDigest md = ContentHash.newDigest();
              md.update("abc".getBytes(StandardCharsets.US_ASCII));
              last = HexFormat.of().formatHex(md.digest());
            }
            return last;
          };
      for (Future<String> f : pool.invokeAll(List.of(task, task, task, task))) {
        assertThat(f.get()).isEqualTo(ABC_SHA256);
      }
    } finally {
      pool.shutdown();
    }
  }
}
