package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.model.tree.NotePath;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one summary line init, clone, sync, restore and watch print. */
class SyncReportTest {
  @Test
  void summaryNamesFilesBytesTimeAndConflictsKept() {
    SyncReport r =
        new SyncReport(
            new SyncReport.Counts(12, 3, 0, 0, 1),
            SyncReport.Listed.NONE,
            new SyncReport.Traffic(49_357, 3_174, 410),
            4812);
    assertThat(r.summary())
        .isEqualTo(
            "synced at seq 4812: 12 up, 3 down, 0 moved, 0 deleted, 1 merged, 0 conflicts kept;"
                + " 48.2 KB sent, 3.1 KB received in 0.41 s");
  }

  @Test
  void summaryCountsOneConflictAndFilesLeftOut() {
    SyncReport r =
        new SyncReport(
            new SyncReport.Counts(1, 0, 0, 0, 0),
            new SyncReport.Listed(
                List.of(NotePath.of("a (conflict).md")),
                List.of(),
                List.of(new NotSynced("b.md", NotSynced.Kind.RETRY, "changed while being read")),
                List.of()),
            new SyncReport.Traffic(812, 0, 5),
            7);
    assertThat(r.summary())
        .isEqualTo(
            "synced at seq 7: 1 up, 0 down, 0 moved, 0 deleted, 0 merged, 1 conflict kept,"
                + " 1 not synced; 812 B sent, 0 B received in 0.01 s");
    assertThat(r.hasNotSynced()).isTrue();
    assertThat(r.notSynced().get(0).describe()).isEqualTo("b.md: changed while being read");
  }

  @Test
  void bytesUsePowersOf1024() {
    assertThat(SyncReport.bytes(0)).isEqualTo("0 B");
    assertThat(SyncReport.bytes(1023)).isEqualTo("1023 B");
    assertThat(SyncReport.bytes(1024)).isEqualTo("1.0 KB");
    assertThat(SyncReport.bytes(3L * 1024 * 1024 + 100_000)).isEqualTo("3.1 MB");
  }
}
