package io.vaultsync.server.vault;

/**
 * Whether this process writes the master folders now. The embedded server always does; of a
 * server's several processes, only the one holding the master-folder lease does (another takes over
 * when it dies), and none does when no master folders are configured. Asked at each commit, so
 * ownership can move while the server runs: a new owner first catches the folders up from the
 * ledger (their mirrored seq is in the database).
 */
@FunctionalInterface
public interface FolderOwnership {
  boolean ownsMasterFolders();

  /** The embedded server: this process always owns its master folders. */
  FolderOwnership ALWAYS = () -> true;

  /** A process that keeps no master folders. */
  FolderOwnership NEVER = () -> false;
}
