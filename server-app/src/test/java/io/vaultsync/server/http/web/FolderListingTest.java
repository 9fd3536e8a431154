package io.vaultsync.server.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.RemoteEntry;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class FolderListingTest {
  private static RemoteEntry entry(String path, long size, long seq) {
    return new RemoteEntry(
        NotePath.of(path), ContentHash.digestOf(path.getBytes(StandardCharsets.UTF_8)), size, seq);
  }

  private final List<RemoteEntry> vault =
      List.of(
          entry("b.md", 10, 1),
          entry("Daily/2026-11-26.md", 100, 7),
          entry("Daily/Old/2025.md", 50, 3),
          entry("a.md", 5, 2),
          entry("Dailyx/n.md", 1, 4));

  @Test
  void rootListsFoldersWithTheirTotalsThenFilesInNameOrder() {
    FolderListing root = FolderListing.of(null, vault);
    assertThat(root.folders())
        .containsExactly(
            new FolderListing.Folder(NotePath.of("Daily"), 2, 150, 7),
            new FolderListing.Folder(NotePath.of("Dailyx"), 1, 1, 4));
    assertThat(root.files()).extracting(e -> e.path().value()).containsExactly("a.md", "b.md");
  }

  @Test
  void aSubfolderListsOnlyWhatIsBelowItNotASiblingWithTheSamePrefix() {
    FolderListing daily = FolderListing.of(NotePath.of("Daily"), vault);
    assertThat(daily.folders())
        .containsExactly(new FolderListing.Folder(NotePath.of("Daily/Old"), 1, 50, 3));
    assertThat(daily.files())
        .extracting(e -> e.path().value())
        .containsExactly("Daily/2026-11-26.md");
  }

  @Test
  void aFolderWithNothingBelowItIsEmpty() {
    assertThat(FolderListing.of(NotePath.of("Nope"), vault).isEmpty()).isTrue();
    assertThat(FolderListing.of(NotePath.of("a.md"), vault).isEmpty()).isTrue();
  }

  /** Issue 12: names no client can hold, stored earlier, are never listed as a vault's files. */
  @Test
  void clientInternalNamesAreNotListed() {
    List<RemoteEntry> withInternal =
        List.of(
            entry("a.md", 5, 2),
            entry(".vaultsync/token", 3, 4),
            entry(".vstmp-1-a.md", 3, 5),
            entry("Daily/.vstmp-2-x.md", 3, 6));
    FolderListing root = FolderListing.of(null, withInternal);
    assertThat(root.folders()).isEmpty();
    assertThat(root.files()).extracting(e -> e.path().value()).containsExactly("a.md");
  }
}
