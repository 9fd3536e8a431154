package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.FileTooLargeException;
import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.QuotaExceededException;
import io.vaultsync.protocol.RemoteEntry;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A remote's largest file and vault quota ({@link #SIZES}): an upload over either is refused with
 * the protocol's {@link FileTooLargeException} or {@link QuotaExceededException}, naming the sizes,
 * and nothing of the call is stored; what adds no content (moves, deletes, content the vault keeps
 * already) still goes through.
 */
public interface LimitsContract extends ProtocolFixture {
  /** {@code n} bytes that do not compress, the same for the same {@code seed}. */
  private static byte[] random(int n, long seed) {
    byte[] b = new byte[n];
    new Random(seed).nextBytes(b);
    return b;
  }

  @Test
  default void aFileOverTheLargestIsRefusedByNameAndNothingOfTheCallIsStored() throws IOException {
    int max = (int) SIZES.maxFileBytes();
    RemoteEntry exact = push("exact.bin", random(max, 1));
    assertThat(exact.size()).isEqualTo(max);

    assertThatThrownBy(() -> push("big.bin", random(max + 1, 2)))
        .isInstanceOfSatisfying(
            FileTooLargeException.class,
            e -> {
              assertThat(e.path()).isEqualTo("big.bin");
              assertThat(e.limit()).isEqualTo(max);
              assertThat(e.reached()).isGreaterThan(max);
            })
        .hasMessageContaining("big.bin");
    List<Mutation> batch =
        List.of(
            putNew("small.md", "small"),
            new Mutation.Put(path("big.bin"), null, delta(new byte[0], random(max + 1, 3))));
    assertThatThrownBy(() -> phone().commit(VAULT, batch, PHONE))
        .isInstanceOfSatisfying(
            FileTooLargeException.class, e -> assertThat(e.path()).isEqualTo("big.bin"));

    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(1);
    assertThat(phone().manifest(VAULT).entries()).containsExactly(exact);
  }

  @Test
  default void anUploadOverTheQuotaIsRefusedAndWhatAddsNoContentStillGoesThrough()
      throws IOException {
    int size = 60 << 10;
    RemoteEntry a = push("a.bin", random(size, 1));
    push("b.bin", random(size, 2));
    push("c.bin", random(size, 3));

    assertThatThrownBy(() -> push("d.bin", random(size, 4)))
        .isInstanceOfSatisfying(
            QuotaExceededException.class,
            e -> {
              assertThat(e.vault()).isEqualTo(VAULT);
              assertThat(e.usage()).isEqualTo(3L * size);
              assertThat(e.adding()).isEqualTo(size);
              assertThat(e.quota()).isEqualTo(SIZES.vaultQuotaBytes());
            });
    assertThatThrownBy(
            () ->
                phone()
                    .commit(
                        VAULT,
                        List.of(
                            putNew("small.md", "small"),
                            new Mutation.Put(
                                path("d.bin"), null, delta(new byte[0], random(size, 4)))),
                        PHONE))
        .isInstanceOf(QuotaExceededException.class);
    assertThat(phone().changesSince(VAULT, 0, 10).headSeq()).isEqualTo(3);

    assertThat(
            phone()
                .commit(
                    VAULT,
                    List.of(
                        new Mutation.Move(a.path(), path("moved/a.bin"), a.hash()),
                        new Mutation.Put(
                            path("copy-of-a.bin"), null, delta(new byte[0], random(size, 1)))),
                    PHONE))
        .as("a move and content the vault keeps already add nothing")
        .allMatch(o -> o instanceof Outcome.Applied);
    phone().delete(VAULT, path("copy-of-a.bin"), a.hash(), PHONE);
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("b.bin", "c.bin", "moved/a.bin");
  }
}
