package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.hash;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.VaultInfo;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Vaults: creating, naming, listing, and NOT_FOUND for an unknown vault on every call. */
public interface AdminContract extends ProtocolFixture {
  @Test
  default void unknownVaultsAreNotFound() {
    assertThatThrownBy(() -> laptop().manifest("nope"))
        .isInstanceOf(NotFoundException.class)
        .hasMessageContaining("nope");
    assertThatThrownBy(() -> laptop().changesSince("nope", 0, 10))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().commit("nope", List.of(putNew("a.md", "a")), LAPTOP))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(
            () -> laptop().fetch("nope", hash("x"), null, OutputStream.nullOutputStream()))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().history("nope", null, Long.MAX_VALUE, 10))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().manifestAt("nope", 1)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().seqAt("nope", T0)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().snapshot("nope", true)).isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().listShares("nope")).isInstanceOf(NotFoundException.class);
  }

  /**
   * A vault name of no characters, of more than 255, or with a control character is refused (the
   * wire's rule, transport-grpc/README.md); a remote may refuse more (the vaultsync server's names
   * become folder names). Nothing is created.
   */
  @Test
  default void aVaultNameOfNoCharactersOrWithAControlCharacterIsRefused() throws IOException {
    for (String bad : List.of("", "bell" + (char) 7, "x".repeat(256))) {
      assertThatThrownBy(() -> phone().createVault(bad))
          .as("vault name of %d chars", bad.length())
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("vault name");
    }
    assertThat(phone().listVaults()).extracting(VaultInfo::name).containsExactly(VAULT);
  }

  @Test
  default void listVaultsCountsFilesBytesTheHeadSeqAndTheLastChange() throws IOException {
    advance(Duration.ofMinutes(5));
    push("a.md", "twelve bytes");
    push("b.md", "three");
    RemoteEntry c = push("c.md", "c");
    laptop().delete(VAULT, c.path(), c.hash(), LAPTOP);

    assertThat(phone().listVaults())
        .singleElement()
        .satisfies(
            v -> {
              assertThat(v.name()).isEqualTo(VAULT);
              assertThat(v.files()).isEqualTo(2);
              assertThat(v.bytes()).isEqualTo(17);
              assertThat(v.headSeq()).isEqualTo(4);
              assertThat(v.lastChange()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
            });
  }

  @Test
  default void creatingAVaultThatExistsFailsAndKeepsIt() throws IOException {
    push("a.md", "alpha");
    assertThatThrownBy(() -> phone().createVault(VAULT))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining(VAULT);
    assertThat(phone().manifest(VAULT).entries()).hasSize(1);
    phone().createVault("other");
    assertThat(laptop().listVaults()).extracting(VaultInfo::name).contains(VAULT, "other");
  }
}
