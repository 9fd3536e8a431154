package io.vaultsync.server.http;

import io.vaultsync.model.tree.TreeShape;
import io.vaultsync.protocol.RemoteEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the entries of one manifest into a zip: each entry's bytes are read by hash from the
 * content store while they are written, so memory stays at one copy buffer whatever the vault's
 * size, and the zip holds exactly the versions the manifest names even if the vault changes while
 * it streams. Entry names are the entries' {@code NotePath} values (relative, {@code /}, no {@code
 * ..}), optionally with a folder prefix removed.
 *
 * <p>Files under a name no client can hold ({@link TreeShape#internalName}: {@code .vaultsync/...},
 * {@code .vstmp-*}, stored before the server refused them) are left out and logged: a zip extracted
 * over a vault would otherwise overwrite a client's own state, such as its token.
 */
public final class ZipWriter {
  private static final Logger log = LoggerFactory.getLogger(ZipWriter.class);

  private ZipWriter() {}

  /** What was written. */
  public record Stats(int entries, long bytes) {}

  /**
   * Writes {@code entries} as a zip to {@code out} (not closed: the caller owns it; the zip is
   * finished).
   *
   * @param stripPrefix a prefix removed from every entry name (e.g. {@code "Daily/"}), or ""
   */
  public static Stats write(
      List<RemoteEntry> entries, String stripPrefix, ContentReader content, OutputStream out)
      throws IOException {
    ZipOutputStream zip = new ZipOutputStream(new NonClosing(out));
    long bytes = 0;
    byte[] buffer = new byte[64 * 1024];
    int written = 0;
    for (RemoteEntry e : entries) {
      Optional<String> internal = TreeShape.internalName(e.path());
      if (internal.isPresent()) {
        log.warn("left {} out of a zip: {}", e.path(), internal.get());
        continue;
      }
      written++;
      String name = e.path().value();
      if (!stripPrefix.isEmpty() && name.startsWith(stripPrefix)) {
        name = name.substring(stripPrefix.length());
      }
      ZipEntry ze = new ZipEntry(name);
      ze.setSize(e.size());
      zip.putNextEntry(ze);
      long copied = 0;
      try (InputStream in = content.open(e.hash())) {
        int n;
        while ((n = in.read(buffer)) > 0) {
          zip.write(buffer, 0, n);
          copied += n;
        }
      }
      if (copied != e.size()) {
        throw new IOException(
            "stored content of " + e.path() + " has " + copied + " bytes; expected " + e.size());
      }
      zip.closeEntry();
      bytes += copied;
    }
    zip.finish();
    zip.flush();
    return new Stats(written, bytes);
  }

  /** Lets {@link ZipOutputStream#close} (never called here) not close the response. */
  private static final class NonClosing extends java.io.FilterOutputStream {
    NonClosing(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
