package io.vaultsync.model.tree;

/**
 * Which paths a {@link ManifestScanner} leaves out, as if they did not exist: an excluded folder is
 * not entered at all. Implementations must be pure and thread-safe.
 */
@FunctionalInterface
public interface PathFilter {
  /** Leaves nothing out. */
  PathFilter NONE = (path, folder) -> false;

  /**
   * Whether {@code path} is left out.
   *
   * @param path the file's or folder's path in the vault
   * @param folder whether it is a folder
   */
  boolean excludes(NotePath path, boolean folder);
}
