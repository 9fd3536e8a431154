package io.vaultsync.client.sync;

import io.vaultsync.client.state.IndexEntry;
import io.vaultsync.client.state.LocalIndex;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.SyncProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Gives back content the server lacks: for each hash a change page listed as wanted ({@link
 * io.vaultsync.protocol.ChangePage#wanted}), a file of the index holding it is read again (hashed
 * while it is encoded, and skipped if it changed since the index saw it: then it is not the wanted
 * bytes) and sent as a delta against nothing ({@link SyncProtocol#giveBack}); the server checks the
 * hash itself. One call per content, after the sync, and only when something is wanted: a sync of a
 * healthy server costs nothing more.
 */
final class GiveBack {
  private GiveBack() {}

  /**
   * Gives back what this folder holds of {@code wanted}; returns the paths whose content the server
   * took. A file that cannot be read, changed meanwhile or is refused is left out silently: giving
   * back is a favour to the server, never a reason for this sync to fail.
   */
  static List<NotePath> run(
      SyncProtocol transport,
      String vault,
      String device,
      Transfers transfers,
      LocalIndex index,
      Set<ContentHash> wanted)
      throws IOException {
    Map<ContentHash, IndexEntry> holders = new LinkedHashMap<>();
    for (IndexEntry e : index.entries().values()) {
      if (wanted.contains(e.hash())) {
        holders.putIfAbsent(e.hash(), e);
      }
    }
    List<NotePath> given = new ArrayList<>();
    for (IndexEntry e : holders.values()) {
      PreparedUpload p;
      try {
        p = transfers.prepareUpload(e.path(), null, null, new Version(e.hash(), e.size()));
      } catch (ChangedMeanwhileException | UnsafePathException | FileSystemException ex) {
        continue; // not the wanted bytes any more (or unreadable): another device may have them
      }
      try (InputStream delta =
          p.put() != null ? p.put().deltaStream() : Files.newInputStream(p.deltaFile())) {
        if (transport.giveBack(vault, e.hash(), delta, device)) {
          given.add(e.path());
        }
      } catch (NotFoundException | InvalidRequestException ex) {
        // the server did not take it; nothing to do here
      } finally {
        if (p.deltaFile() != null) {
          Files.deleteIfExists(p.deltaFile());
        }
      }
    }
    return given;
  }
}
