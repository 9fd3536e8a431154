package io.vaultsync.core.tree;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ManifestScanner} found in a folder.
 *
 * <p>Callers must not read a path that is missing from {@link #manifest()} as deleted if it is
 * listed in {@link #unstable()}: its state is unknown and it should be scanned again later.
 *
 * @param manifest the files recorded
 * @param rejected files and folders skipped because their names are not valid note paths or they
 *     are not regular files, sorted by path; nothing below a rejected folder is listed
 * @param unstable files that changed (or vanished) while they were hashed, so no hash was recorded,
 *     in path order
 * @param filesHashed files whose content was read and hashed
 * @param filesReused files whose hash was taken from the previous manifest without reading them
 * @param bytesHashed bytes read and hashed
 */
public record ScanResult(
    Manifest manifest,
    List<RejectedFile> rejected,
    List<NotePath> unstable,
    long filesHashed,
    long filesReused,
    long bytesHashed) {
  /** Checks for nulls and negative counts, and copies the lists. */
  public ScanResult {
    Objects.requireNonNull(manifest, "manifest");
    rejected = List.copyOf(rejected);
    unstable = List.copyOf(unstable);
    if (filesHashed < 0 || filesReused < 0 || bytesHashed < 0) {
      throw new IllegalArgumentException(
          "scan counts hashed="
              + filesHashed
              + " reused="
              + filesReused
              + " bytes="
              + bytesHashed
              + "; expected >= 0");
    }
  }
}
