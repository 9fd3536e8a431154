package io.vaultsync.server.integrity;

import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.server.store.ContentStore;
import io.vaultsync.server.store.StagingBatch;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;

/**
 * Gets lost content back from the server's own master folders: the file at a head path usually
 * still holds the head's bytes after a pack or index was lost. A file is taken only if its size is
 * the expected one and its SHA-256 is the wanted hash, so whatever the folder holds (an edit, a
 * link, anything) nothing but the right bytes is ever stored.
 */
final class MasterCopies {
  private MasterCopies() {}

  /**
   * Stores the content of those {@code missing} references whose master file ({@code
   * vaultsRoot/VAULT/PATH}) holds it; returns the references it restored.
   */
  static List<ContentReferences.Reference> restore(
      ContentStore store, Path vaultsRoot, List<ContentReferences.Reference> missing)
      throws IOException {
    List<ContentReferences.Reference> found = new ArrayList<>();
    List<Path> files = new ArrayList<>();
    for (ContentReferences.Reference r : missing) {
      if (store.has(r.hash()) || found.stream().anyMatch(f -> f.hash().equals(r.hash()))) {
        continue;
      }
      Path file = fileOf(vaultsRoot, r);
      if (file != null && r.hash().equals(hashOf(file, r.size()))) {
        found.add(r);
        files.add(file);
      }
    }
    if (found.isEmpty()) {
      return found;
    }
    List<ContentReferences.Reference> restored = new ArrayList<>();
    try (StagingBatch batch = store.newBatch()) {
      for (int i = 0; i < found.size(); i++) {
        Path file = files.get(i);
        ContentHash staged;
        try {
          staged =
              batch
                  .stage(
                      out -> {
                        try (InputStream in =
                            Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                          in.transferTo(out);
                        }
                      })
                  .hash();
        } catch (IOException e) {
          continue; // changed or went away meanwhile: left wanted
        }
        if (staged.equals(found.get(i).hash())) {
          restored.add(found.get(i));
        }
      }
      batch.commit();
    }
    return restored;
  }

  private static Path fileOf(Path vaultsRoot, ContentReferences.Reference r) {
    try {
      Path file = vaultsRoot.resolve(r.vault()).resolve(r.path()).normalize();
      if (!file.startsWith(vaultsRoot.resolve(r.vault()))
          || !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
        return null;
      }
      return file;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  /** The SHA-256 of {@code file} if it has {@code size} bytes, else null. */
  private static ContentHash hashOf(Path file, long size) {
    try {
      if (Files.size(file) != size) {
        return null;
      }
      MessageDigest md = ContentHash.newDigest();
      try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = in.read(buf)) > 0; ) {
          md.update(buf, 0, n);
          total += n;
          if (total > size) {
            return null;
          }
        }
      }
      return ContentHash.finish(md);
    } catch (IOException e) {
      return null;
    }
  }
}
