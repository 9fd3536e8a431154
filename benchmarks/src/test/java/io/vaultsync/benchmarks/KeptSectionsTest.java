package io.vaultsync.benchmarks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeptSectionsTest {
  @TempDir Path tmp;

  @Test
  void aSectionIsAppendedThenReplacedInPlace() throws Exception {
    Path md = tmp.resolve("b.md");
    Files.writeString(md, "# Title\n\ntext\n");
    KeptSections.write(md, "cluster", "## Cluster\n\nold\n");
    KeptSections.write(md, "cluster", "## Cluster\n\nnew\n");
    assertThat(Files.readString(md))
        .isEqualTo(
            "# Title\n\ntext\n\n<!-- begin cluster -->\n## Cluster\n\nnew\n<!-- end cluster -->\n");
  }

  @Test
  void theSectionsOfAFileAreWhatARewriteKeeps() {
    String md =
        "# Generated\n\n<!-- begin cluster -->\n## C\n<!-- end cluster -->\nmore generated\n";
    assertThat(KeptSections.of(md))
        .isEqualTo("\n<!-- begin cluster -->\n## C\n<!-- end cluster -->\n");
    assertThat(KeptSections.of("# nothing kept\n")).isEmpty();
  }
}
