package io.vaultsync.protocol.testkit;

import static io.vaultsync.protocol.testkit.ContractData.delta;
import static io.vaultsync.protocol.testkit.ContractData.hash;
import static io.vaultsync.protocol.testkit.ContractData.path;
import static io.vaultsync.protocol.testkit.ContractData.putNew;
import static io.vaultsync.protocol.testkit.ContractData.refusal;
import static io.vaultsync.protocol.testkit.ContractData.stream;
import static io.vaultsync.protocol.testkit.ContractData.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.protocol.Mutation;
import io.vaultsync.protocol.Outcome;
import io.vaultsync.protocol.PathRefusedException;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Trees no client can hold ({@link io.vaultsync.model.tree.TreeShape}): refused per item, the rest
 * applied.
 */
public interface TreeShapeContract extends ProtocolFixture {
  @Test
  default void aCommitRefusesTreesNoClientCanHoldPerItemAndAppliesTheRest() throws IOException {
    laptop().commit(VAULT, List.of(putNew("dir1", "a file"), putNew("notes/a.md", "a")), LAPTOP);

    List<Outcome> outcomes =
        phone()
            .commit(
                VAULT,
                List.of(
                    putNew("dir1/child.md", "below a file"),
                    putNew("notes", "where a folder is"),
                    putNew(".vaultsync/token", "secret"),
                    putNew(".vstmp-x", "temp"),
                    putNew("ok.md", "fine"),
                    new Mutation.Move(path("ok.md"), path("dir1/moved.md"), hash("fine"))),
                PHONE);

    assertThat(outcomes).hasSize(6);
    assertThat(refusal(outcomes.get(0), "dir1/child.md")).contains("\"dir1\" is a file");
    assertThat(refusal(outcomes.get(1), "notes")).contains("\"notes\" is a folder");
    assertThat(refusal(outcomes.get(2), ".vaultsync/token")).contains(".vaultsync");
    assertThat(refusal(outcomes.get(3), ".vstmp-x")).contains(".vstmp-");
    assertThat(outcomes.get(4)).isInstanceOf(Outcome.Applied.class);
    assertThat(refusal(outcomes.get(5), "dir1/moved.md")).contains("\"dir1\" is a file");
    assertThat(laptop().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("dir1", "notes/a.md", "ok.md");
    assertThat(laptop().changesSince(VAULT, 0, 100).headSeq()).isEqualTo(3);
  }

  @Test
  default void aFileAndAFolderOfTheSameNameRaceAndTheSecondIsRefusedEitherWay() throws IOException {
    laptop().commit(VAULT, List.of(putNew("notes", "file first")), LAPTOP);
    assertThat(phone().commit(VAULT, List.of(putNew("notes/a.md", "x")), PHONE).get(0))
        .isInstanceOf(Outcome.Refused.class);
    assertThatThrownBy(
            () ->
                phone()
                    .push(
                        VAULT,
                        path("notes/b.md"),
                        null,
                        stream(delta(new byte[0], text("y"))),
                        PHONE))
        .isInstanceOfSatisfying(
            PathRefusedException.class,
            e -> {
              assertThat(e.path()).isEqualTo("notes/b.md");
              assertThat(e.reason()).contains("\"notes\" is a file");
            });
    // Replacing the file by a folder in one batch (delete, then put below it) is fine.
    assertThat(
            laptop()
                .commit(
                    VAULT,
                    List.of(
                        new Mutation.Delete(path("notes"), hash("file first")),
                        putNew("notes/a.md", "x")),
                    LAPTOP))
        .allMatch(o -> o instanceof Outcome.Applied);
    assertThat(phone().manifest(VAULT).entries())
        .extracting(e -> e.path().value())
        .containsExactly("notes/a.md");
  }
}
