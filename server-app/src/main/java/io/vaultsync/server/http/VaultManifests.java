package io.vaultsync.server.http;

import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteManifest;
import io.vaultsync.server.ledger.VaultName;
import io.vaultsync.server.ledger.VersionHistory;
import io.vaultsync.server.vault.ServerVaults;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the one manifest a download is made of: the head (the ledger's head manifest at that
 * moment) or the vault right after a seq or a time ({@link VersionHistory#manifestAt}), and narrows
 * it to a folder. A download never reads a second manifest, so it is one seq, never a mix.
 */
public final class VaultManifests {
  private VaultManifests() {}

  /**
   * The vault's files at {@code at} (null: the head).
   *
   * @throws IllegalArgumentException (400) if {@code at} names a seq beyond the head
   * @throws NotFoundException (404) if the vault does not exist, or {@code at} is older than the
   *     kept history or before the vault's first change
   */
  public static RemoteManifest at(ServerVaults vaults, VaultName vault, AtParameter at)
      throws IOException {
    if (at == null) {
      return vaults.manifest(vault.value());
    }
    VersionHistory history = vaults.history();
    long seq = at.seq();
    if (at.isTime()) {
      seq = history.seqAt(vault, at.time());
      if (seq == 0) {
        throw new NotFoundException(
            "vault \"" + vault + "\" has no recorded version at or before " + at.time());
      }
    }
    RemoteManifest m = history.manifestAt(vault, seq);
    if (!at.isTime() && m.headSeq() < seq) {
      throw new IllegalArgumentException(
          "at=" + seq + " is beyond vault \"" + vault + "\"'s head seq " + m.headSeq());
    }
    return m;
  }

  /**
   * The entries of {@code manifest} at {@code path} (a file) or under it (a folder); all of them
   * for a null path.
   */
  public static List<RemoteEntry> under(RemoteManifest manifest, NotePath path) {
    if (path == null) {
      return manifest.entries();
    }
    String prefix = path.value() + "/";
    List<RemoteEntry> out = new ArrayList<>();
    for (RemoteEntry e : manifest.entries()) {
      String p = e.path().value();
      if (p.equals(path.value()) || p.startsWith(prefix)) {
        out.add(e);
      }
    }
    return out;
  }
}
