package io.vaultsync.protocol.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.Change;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class NewChangeTest {
  private static final ContentHash HASH =
      ContentHash.digestOf("note".getBytes(StandardCharsets.UTF_8));
  private static final Instant TIME = Instant.parse("2026-12-07T20:00:00Z");

  @Test
  void recordedKeepsEveryFieldAndAddsSeqDeviceAndTime() {
    NewChange move = NewChange.move(NotePath.of("a.md"), NotePath.of("b/a.md"), HASH, 4);

    assertThat(move.recorded(7, "laptop", TIME))
        .isEqualTo(
            new Change(
                7,
                Change.Op.MOVE,
                NotePath.of("b/a.md"),
                NotePath.of("a.md"),
                HASH,
                4,
                "laptop",
                TIME,
                false));
  }

  @Test
  void recordedKeepsAConfirmedDeleteConfirmed() {
    NewChange delete = NewChange.delete(NotePath.of("a.md"), HASH, 4).asConfirmed();

    assertThat(delete.recorded(1, "phone", TIME).confirmed()).isTrue();
  }
}
