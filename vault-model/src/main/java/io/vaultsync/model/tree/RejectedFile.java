package io.vaultsync.model.tree;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file or folder that a {@link ManifestScanner} found but could not record, and why.
 *
 * @param file the path relative to the scanned root, in OS form (it has no valid note path)
 * @param reason what is wrong with it, for people
 */
public record RejectedFile(Path file, String reason) {
  /** Checks that neither component is null. */
  public RejectedFile {
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(reason, "reason");
  }

  /** The path relative to the scanned root with {@code /} between names, as it is on this disk. */
  public String name() {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < file.getNameCount(); i++) {
      if (i > 0) {
        sb.append('/');
      }
      sb.append(file.getName(i));
    }
    return sb.toString();
  }
}
