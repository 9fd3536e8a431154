package io.vaultsync.server.vault;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.server.ledger.VaultName;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds and logs what a vault's head holds that no client can hold ({@link TreeShape#clashes}: a
 * file below a file, a client-internal name), stored before the server refused such trees. Logged
 * at start and again whenever the list changes, not on every pass. Thread-safe.
 */
final class HeadShapes {
  private static final Logger log = LoggerFactory.getLogger(HeadShapes.class);

  private final Map<VaultName, List<TreeShape.Clash>> last = new ConcurrentHashMap<>();

  /** Checks {@code head}; logs each clash when the vault's list differs from the last one. */
  List<TreeShape.Clash> check(VaultName vault, RemoteManifest head) {
    List<NotePath> paths = new ArrayList<>(head.entries().size());
    for (RemoteEntry e : head.entries()) {
      paths.add(e.path());
    }
    List<TreeShape.Clash> now = TreeShape.clashes(paths);
    List<TreeShape.Clash> before = last.put(vault, now);
    if (!now.equals(before == null ? List.of() : before)) {
      for (TreeShape.Clash c : now) {
        log.warn(
            "vault {} holds {}, which no client can hold ({}); clients name it as not synced",
            vault,
            c.path(),
            c.reason());
      }
    }
    return now;
  }
}
