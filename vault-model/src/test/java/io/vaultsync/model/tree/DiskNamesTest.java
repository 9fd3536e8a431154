package io.vaultsync.model.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DiskNamesTest {
  private static final String NFD_FOLDER = "Re\u0301sume\u0301";
  private static final NotePath FOLDER = NotePath.of("R\u00e9sum\u00e9");

  @Test
  void mappedPathsAndEverythingBelowAMappedFolderKeepTheirNamesOnDisk() {
    DiskNames names =
        DiskNames.of(
            Map.of(
                FOLDER,
                NFD_FOLDER,
                NotePath.of("R\u00e9sum\u00e9/Caf\u00e9.md"),
                NFD_FOLDER + "/Cafe\u0301.md",
                NotePath.of("plain.md"),
                "plain.md"));

    assertThat(names.size()).isEqualTo(2); // plain.md is canonical: not kept
    assertThat(names.relative(NotePath.of("R\u00e9sum\u00e9/Caf\u00e9.md")))
        .isEqualTo(NFD_FOLDER + "/Cafe\u0301.md");
    assertThat(names.relative(NotePath.of("R\u00e9sum\u00e9/sub/new.md")))
        .isEqualTo(NFD_FOLDER + "/sub/new.md");
    assertThat(names.relative(NotePath.of("other/Caf\u00e9.md"))).isEqualTo("other/Caf\u00e9.md");
    assertThat(names.isMapped(NotePath.of("R\u00e9sum\u00e9/x.md"))).isTrue();
    assertThat(names.isMapped(NotePath.of("x.md"))).isFalse();
    Path root = Path.of("/vault");
    assertThat(names.toFile(root, FOLDER)).isEqualTo(root.resolve(NFD_FOLDER));
    assertThat(DiskNames.NONE.toFile(root, FOLDER)).isEqualTo(root.resolve("R\u00e9sum\u00e9"));
  }

  @Test
  void aDiskNameOfAnotherNoteIsRefused() {
    assertThatThrownBy(() -> DiskNames.of(Map.of(FOLDER, "Other")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Other");
  }
}
