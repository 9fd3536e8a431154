package io.vaultsync.server.mirror;

import io.vaultsync.model.tree.NotePath;
import java.nio.file.FileSystemException;

/**
 * A master-folder write that the server will not make because something on its disk is in the way
 * (a symbolic link or file where a folder should be, a folder or link with the file's name): never
 * written through, never replaced. The path stays owed until the obstacle is gone.
 */
public final class BlockedPathException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  public BlockedPathException(NotePath path, String reason) {
    super(path.value(), null, reason);
  }
}
