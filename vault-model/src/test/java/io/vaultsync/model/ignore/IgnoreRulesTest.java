package io.vaultsync.model.ignore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.model.tree.NotePath;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IgnoreRulesTest {
  @TempDir Path tmp;

  private static boolean ignored(IgnoreRules rules, String path) {
    return rules.ignores(NotePath.of(path));
  }

  @Test
  void defaultsKeepWorkspaceCachesJunkAndEditorTempFilesLocal() {
    IgnoreRules d = IgnoreRules.DEFAULT;
    for (String p :
        new String[] {
          ".obsidian/workspace.json",
          ".obsidian/workspace-mobile.json",
          ".obsidian/cache",
          ".obsidian/cache/x.bin",
          ".DS_Store",
          "Daily/.DS_Store",
          "Thumbs.db",
          "desktop.ini",
          "._note.md",
          "Daily/.note.md.swp",
          "note.md~",
          ".#note.md",
          "#note.md#",
          "4913",
          "x.tmp",
          ".~lock.report.odt#",
          "big.pdf.crdownload",
          "big.pdf.part"
        }) {
      assertThat(ignored(d, p)).as(p).isTrue();
    }
    for (String p :
        new String[] {
          "note.md",
          ".obsidian/app.json",
          ".obsidian/workspaces.json",
          ".obsidian/plugins/x/data.json",
          ".trash/old.md",
          IgnoreRules.FILE_NAME,
          "Daily/2026-11-26.md"
        }) {
      assertThat(ignored(d, p)).as(p).isFalse();
    }
  }

  @Test
  void stateFoldersAndEngineTempFilesAreNeverSyncedNotEvenWithNegation() {
    IgnoreRules r = IgnoreRules.parse("!.vaultsync/\n!**/.vaultsync/**\n!.vstmp-*\n");
    assertThat(ignored(r, ".vaultsync/token")).isTrue();
    assertThat(ignored(r, "sub/.vaultsync/config")).isTrue();
    assertThat(ignored(r, "a/.vstmp-123-note.md")).isTrue();
  }

  @Test
  void aNegationOverridesADefault() {
    IgnoreRules r = IgnoreRules.parse("!/.obsidian/workspace.json\n");
    assertThat(ignored(r, ".obsidian/workspace.json")).isFalse();
    assertThat(ignored(r, ".obsidian/workspace-mobile.json")).isTrue();
  }

  @Test
  void laterLinesWinAndAnExcludedFolderCannotBeReincluded() {
    IgnoreRules r =
        IgnoreRules.parse(
            "# private drafts\n"
                + "drafts/\n"
                + "!drafts/keep.md\n"
                + "/attachments/*\n"
                + "!/attachments/logo.png\n");
    assertThat(ignored(r, "drafts/a.md")).isTrue();
    assertThat(ignored(r, "drafts/keep.md")).isTrue(); // git: the folder is excluded
    assertThat(ignored(r, "x/drafts/a.md")).isTrue();
    assertThat(ignored(r, "attachments/a.png")).isTrue();
    assertThat(ignored(r, "attachments/logo.png")).isFalse();
    assertThat(ignored(r, "notes/attachments/a.png")).isFalse();
    assertThat(r.excludes(NotePath.of("drafts"), true)).isTrue();
    assertThat(r.excludes(NotePath.of("drafts"), false)).isFalse();
  }

  @Test
  void badLinesAreListedAsProblemsAndTheRestApplies() {
    IgnoreRules r = IgnoreRules.parse("a//b\n*.log\n/\n");
    assertThat(r.problems())
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).contains("line 1", "a//b"))
        .anySatisfy(p -> assertThat(p).contains("line 3"));
    assertThat(ignored(r, "x.log")).isTrue();
  }

  @Test
  void loadReadsTheFileAtTheVaultRootOrUsesTheDefaults() throws IOException {
    assertThat(IgnoreRules.load(tmp)).isSameAs(IgnoreRules.DEFAULT);
    Files.writeString(tmp.resolve(IgnoreRules.FILE_NAME), "*.log\r\n", StandardCharsets.UTF_8);
    IgnoreRules r = IgnoreRules.load(tmp);
    assertThat(ignored(r, "a/b.log")).isTrue();
    assertThat(r.text()).isEqualTo("*.log\r\n");
  }

  @Test
  void anOversizedOrNonUtf8FileIsRefusedNamingIt() throws IOException {
    Path f = tmp.resolve(IgnoreRules.FILE_NAME);
    Files.write(f, new byte[IgnoreRules.MAX_FILE_BYTES + 1]);
    assertThatThrownBy(() -> IgnoreRules.load(tmp))
        .hasMessageContaining(IgnoreRules.FILE_NAME)
        .hasMessageContaining("larger than");
    Files.write(f, new byte[] {(byte) 0xff, (byte) 0xfe, '\n'});
    assertThatThrownBy(() -> IgnoreRules.load(tmp)).hasMessageContaining("not UTF-8");
  }
}
