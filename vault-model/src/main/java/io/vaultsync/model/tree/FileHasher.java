package io.vaultsync.model.tree;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * Hashes a file by streaming it through a caller-supplied buffer; never holds the whole file. The
 * seam lets tests simulate a file that changes while it is read.
 */
class FileHasher {
  /** The hash of {@code file} and the number of bytes read. */
  record Hashed(ContentHash hash, long bytes) {}

  /** Reads {@code file} (refusing to follow a symbolic link) through {@code buffer}. */
  Hashed hash(Path file, byte[] buffer) throws IOException {
    MessageDigest md = ContentHash.newDigest();
    long total = 0;
    try (InputStream in =
        Files.newInputStream(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
      for (int n; (n = in.read(buffer)) != -1; ) {
        md.update(buffer, 0, n);
        total += n;
      }
    }
    return new Hashed(ContentHash.finish(md), total);
  }
}
