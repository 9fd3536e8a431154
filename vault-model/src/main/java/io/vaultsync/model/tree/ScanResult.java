package io.vaultsync.model.tree;

import java.util.List;
import java.util.Objects;

/**
 * What a {@link ManifestScanner} found in a folder.
 *
 * <p>Callers must not read a path that is missing from {@link #manifest()} as deleted if it is
 * listed in {@link #unstable()} or lies at or below a path of {@link #unknown()}: its state is
 * unknown and it should be scanned again later.
 *
 * @param manifest the files recorded, by note path
 * @param rejected files and folders left out and why, each to be named to the user, sorted by path:
 *     names that are not valid note paths, symbolic links, fifos, sockets and devices, two names
 *     that normalize to one note path, folders or files that cannot be read; nothing below a
 *     rejected folder is listed
 * @param unstable files that changed (or vanished) while they were hashed, so no hash was recorded,
 *     in path order
 * @param unknown note paths (files, or folders with everything below them) whose state could not be
 *     read because they are rejected (a link, a special file, a name clash, a folder that cannot be
 *     entered), in path order: what the previous manifest has there is to be taken as unchanged
 * @param names the files and folders whose name on disk is not their note path's (NFD names)
 * @param filesHashed files whose content was read and hashed
 * @param filesReused files whose hash was taken from the previous manifest without reading them
 * @param bytesHashed bytes read and hashed
 */
public record ScanResult(
    Manifest manifest,
    List<RejectedFile> rejected,
    List<NotePath> unstable,
    List<NotePath> unknown,
    DiskNames names,
    long filesHashed,
    long filesReused,
    long bytesHashed) {
  /** Checks for nulls and negative counts, and copies the lists. */
  public ScanResult {
    Objects.requireNonNull(manifest, "manifest");
    rejected = List.copyOf(rejected);
    unstable = List.copyOf(unstable);
    unknown = List.copyOf(unknown);
    Objects.requireNonNull(names, "names");
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

  /** A result with nothing rejected or unknown and every name canonical. */
  public ScanResult(
      Manifest manifest,
      List<RejectedFile> rejected,
      List<NotePath> unstable,
      long filesHashed,
      long filesReused,
      long bytesHashed) {
    this(
        manifest,
        rejected,
        unstable,
        List.of(),
        DiskNames.NONE,
        filesHashed,
        filesReused,
        bytesHashed);
  }

  /** This result with another manifest and other unstable paths; the rest is kept. */
  public ScanResult with(Manifest manifest, List<NotePath> unstable) {
    return new ScanResult(
        manifest, rejected, unstable, unknown, names, filesHashed, filesReused, bytesHashed);
  }

  /** Whether {@code path} is, or lies below, a path of {@link #unknown()}. */
  public boolean isUnknown(NotePath path) {
    if (unknown.isEmpty()) {
      return false;
    }
    for (NotePath u : unknown) {
      if (path.startsWith(u)) {
        return true;
      }
    }
    return false;
  }
}
