package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.protocol.testkit.InProcessVaultTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ignored paths stay device-local in both directions; .vaultsyncignore is shared by all devices.
 */
class IgnoreScenariosTest {
  @TempDir Path tmp;

  private final InProcessVaultTransport server = new InProcessVaultTransport();

  /** The vault both replicas start from. */
  private static final Map<String, String> FILES =
      Map.of("Note.md", "a note\n", ".obsidian/app.json", "{\"shared\": true}\n");

  private Replica[] pair() throws Exception {
    return Replica.pair(tmp, server, FILES);
  }

  /**
   * Obsidian's workspace.json differs per device and never travels: no upload, no download, no
   * conflict copy; editors' temp files and OS junk stay local too, while app.json is shared.
   */
  @Test
  void defaultsKeepWorkspaceAndTempFilesLocalWithoutConflicts() throws Exception {
    Replica[] r = pair();
    r[0].write(".obsidian/workspace.json", "{\"laptop\": 1}\n");
    r[1].write(".obsidian/workspace.json", "{\"phone\": 2}\n");
    r[0].write(".obsidian/workspace-mobile.json", "{}\n");
    r[0].write(".Note.md.swp", "vim");
    r[0].write("Note.md~", "backup");
    r[0].write(".DS_Store", "junk");
    r[0].write(".obsidian/app.json", "{\"shared\": false}\n");

    SyncReport up = r[0].sync();
    SyncReport down = r[1].sync();
    r[0].sync();

    assertThat(up.filesUp()).isEqualTo(1);
    assertThat(up.hasConflicts()).isFalse();
    assertThat(down.hasConflicts()).isFalse();
    assertThat(Replica.serverFiles(server)).containsOnlyKeys("Note.md", ".obsidian/app.json");
    assertThat(r[0].read(".obsidian/workspace.json")).isEqualTo("{\"laptop\": 1}\n");
    assertThat(r[1].read(".obsidian/workspace.json")).isEqualTo("{\"phone\": 2}\n");
    assertThat(r[1].exists(".Note.md.swp")).isFalse();
    assertThat(r[1].read(".obsidian/app.json")).isEqualTo("{\"shared\": false}\n");
    assertThat(r[0].status().actions()).isEmpty();
  }

  /**
   * The .vaultsyncignore file itself is synced, so a rule written on one device applies on all;
   * files under an ignored folder never leave either device.
   */
  @Test
  void theIgnoreFileIsSharedAndItsRulesApplyOnEveryDevice() throws Exception {
    Replica[] r = pair();
    r[0].write(".vaultsyncignore", "# private\nprivate/\n*.log\n!keep.log\n");
    r[0].write("private/diary.md", "laptop only\n");
    r[0].write("x.log", "log");
    r[0].write("keep.log", "kept");
    r[0].sync();
    r[1].sync(); // brings the rules
    r[1].write("private/phone.md", "phone only\n");
    r[1].sync();
    r[0].sync();

    assertThat(Replica.serverFiles(server))
        .containsOnlyKeys("Note.md", ".obsidian/app.json", ".vaultsyncignore", "keep.log");
    assertThat(r[0].exists("private/phone.md")).isFalse();
    assertThat(r[1].exists("private/diary.md")).isFalse();
    assertThat(r[1].read("keep.log")).isEqualTo("kept");
  }

  /** A bad line in the shared file is skipped (status says which); the other rules still apply. */
  @Test
  void aBadIgnoreLineIsReportedByStatusAndTheRestApplies() throws Exception {
    Replica[] r = pair();
    r[0].write(".vaultsyncignore", "a//b\n*.log\n");
    r[0].write("x.log", "log");
    SyncPreview preview = r[0].preview(SyncOptions.DEFAULTS);
    assertThat(preview.ignoreProblems())
        .singleElement()
        .asString()
        .contains(".vaultsyncignore line 1", "a//b");
    r[0].sync();
    assertThat(Replica.serverFiles(server))
        .doesNotContainKey("x.log")
        .containsKey(".vaultsyncignore");
  }

  /**
   * A file that becomes ignored is left alone on both sides: deleting it locally deletes nothing on
   * the server, and an edit made meanwhile on the server is not downloaded. When the rule goes
   * away, the next sync reads the whole manifest and brings the file back up to date.
   */
  @Test
  void aFileThatBecomesIgnoredIsLeftAloneAndReturnsWhenTheRuleGoes() throws Exception {
    Replica[] r = pair();
    r[0].write("drafts/a.md", "draft v1\n");
    r[0].sync();
    r[1].sync();
    r[1].write(".vaultsyncignore", "drafts/\n");
    SyncReport becameIgnored = r[1].sync();
    assertThat(becameIgnored.deleted()).isZero();

    r[1].delete("drafts/a.md");
    r[1].sync();
    assertThat(Replica.serverFiles(server)).containsKey("drafts/a.md");

    r[0].sync(); // brings the rule to the laptop: its copy is left alone too
    Files.writeString(tmp.resolve("a/.vaultsyncignore"), "");
    r[0].write("drafts/a.md", "draft v2\n");
    r[0].sync(); // rule gone on the laptop: the edit goes up, the empty rules too
    assertThat(Replica.serverFiles(server)).containsKey("drafts/a.md");

    r[1].sync(); // downloads the empty rules; drafts/ is still ignored during this sync
    assertThat(r[1].exists("drafts/a.md")).isFalse();
    r[1].sync(); // rules changed: whole manifest, the file comes back
    assertThat(r[1].read("drafts/a.md")).isEqualTo("draft v2\n");
  }
}
