package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.path;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.CreatedShare;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.ShareInfo;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Share links: created, listed newest first, revoked; a remote that keeps none says so. */
public interface ShareContract extends ProtocolFixture {
  @Test
  default void shareLinksAreCreatedListedAndRevoked() throws IOException {
    push("Public/a.md", "shared");
    if (!keepsShareLinks()) {
      assertThatThrownBy(() -> laptop().createShare(VAULT, path("Public"), null, null, LAPTOP))
          .isInstanceOf(InvalidRequestException.class);
      assertThat(laptop().listShares(VAULT)).isEmpty();
      assertThatThrownBy(() -> laptop().revokeShare(VAULT, "0123456789ab"))
          .isInstanceOf(NotFoundException.class);
      return;
    }
    Instant expires = T0.plus(Duration.ofDays(7));
    CreatedShare folder =
        laptop().createShare(VAULT, path("Public"), expires, "pw".toCharArray(), LAPTOP);
    advance(Duration.ofSeconds(1));
    CreatedShare file = laptop().createShare(VAULT, path("Public/a.md"), null, null, LAPTOP);

    assertThat(folder.info().folder()).isTrue();
    assertThat(folder.info().passwordProtected()).isTrue();
    assertThat(folder.info().expires()).isEqualTo(expires);
    assertThat(file.info().folder()).isFalse();
    assertThat(file.url()).isNotEqualTo(folder.url());
    assertThat(phone().listShares(VAULT))
        .extracting(ShareInfo::id)
        .containsExactly(file.info().id(), folder.info().id());

    phone().revokeShare(VAULT, folder.info().id());
    assertThat(laptop().listShares(VAULT))
        .extracting(ShareInfo::id, ShareInfo::revoked)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(file.info().id(), false),
            org.assertj.core.groups.Tuple.tuple(folder.info().id(), true));
    assertThatThrownBy(() -> laptop().createShare(VAULT, path("nothing.md"), null, null, LAPTOP))
        .isInstanceOf(NotFoundException.class);
    assertThatThrownBy(() -> laptop().revokeShare(VAULT, "0123456789ab"))
        .isInstanceOf(NotFoundException.class);
  }
}
