package io.vaultsync.client.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.Manifest;
import io.vaultsync.model.tree.ManifestEntry;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.ScanResult;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * {@link SyncPlanner#touched}, one merge walk over the index, the scan and the remote view, finds
 * exactly the paths that per-path lookups in each map find (the walk it replaced).
 */
class SyncPlannerTouchedTest {
  @Test
  void mergeWalkFindsWhatLookupsFind() {
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (int round = 0; round < 50; round++) {
      List<IndexEntry> base = new ArrayList<>();
      List<ManifestEntry> local = new ArrayList<>();
      List<RemoteEntry> remote = new ArrayList<>();
      int paths = random.nextInt(60);
      for (int i = 0; i < paths; i++) {
        // names that sort differently as strings and as UTF-8 bytes, and nested folders
        NotePath p = NotePath.of((i % 3 == 0 ? "d/" : "") + "n" + random.nextInt(1000) + ".md");
        ContentHash h = hash("b" + i);
        boolean inBase = random.nextInt(4) > 0;
        if (inBase && base.stream().noneMatch(e -> e.path().equals(p))) {
          base.add(new IndexEntry(p, 1, 0, h, null));
        }
        if (random.nextInt(4) > 0 && local.stream().noneMatch(e -> e.path().equals(p))) {
          local.add(new ManifestEntry(p, 1, 0, random.nextInt(5) == 0 ? hash("l" + i) : h));
        }
        if (random.nextInt(4) > 0 && remote.stream().noneMatch(e -> e.path().equals(p))) {
          remote.add(new RemoteEntry(p, random.nextInt(5) == 0 ? hash("r" + i) : h, 1, 1));
        }
      }
      LocalIndex index = new LocalIndex(1, base);
      ScanResult scan = new ScanResult(Manifest.of(local), List.of(), List.of(), 0, 0, 0);
      RemoteView view = RemoteView.of(new RemoteManifest(1, remote), 1);

      assertThat(SyncPlanner.touched(index, scan, view))
          .as("seed %d round %d", seed, round)
          .containsExactlyElementsOf(byLookups(index, scan, view));
    }
  }

  /** The planner's walk before the merge: a lookup per path in each of the other maps. */
  private static Set<NotePath> byLookups(LocalIndex index, ScanResult scan, RemoteView remote) {
    Map<NotePath, ManifestEntry> scanned = scan.manifest().asMap();
    Set<NotePath> touched = new TreeSet<>();
    for (IndexEntry b : index.entries().values()) {
      ManifestEntry l = scanned.get(b.path());
      Version r = remote.get(b.path());
      if (l == null || r == null || !l.hash().equals(b.hash()) || !r.hash().equals(b.hash())) {
        touched.add(b.path());
      }
    }
    for (NotePath p : scanned.keySet()) {
      if (index.get(p) == null) {
        touched.add(p);
      }
    }
    for (NotePath p : remote.files().keySet()) {
      if (index.get(p) == null) {
        touched.add(p);
      }
    }
    return touched;
  }

  private static ContentHash hash(String s) {
    return ContentHash.digestOf(s.getBytes(StandardCharsets.UTF_8));
  }
}
