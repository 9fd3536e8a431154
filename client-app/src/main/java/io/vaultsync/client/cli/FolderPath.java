package io.vaultsync.client.cli;

import io.vaultsync.model.tree.NotePath;
import java.nio.file.Path;

/**
 * A note named on the command line: relative to the vault folder ({@code Inbox.md}) or as a path to
 * a file inside it ({@code ~/Notes/Inbox.md}, {@code Notes/Inbox.md} from the folder's parent). The
 * file need not exist (it may have been deleted). The result is a validated {@link NotePath}.
 */
final class FolderPath {
  private FolderPath() {}

  /**
   * @throws IllegalArgumentException if {@code arg} is outside {@code dir} or not a valid note path
   */
  static NotePath of(Path dir, String arg) {
    Path folder = dir.toAbsolutePath().normalize();
    Path given = Path.of(arg);
    Path relative;
    if (given.isAbsolute()) {
      Path p = given.normalize();
      if (!p.startsWith(folder) || p.equals(folder)) {
        throw new IllegalArgumentException(
            "\"" + arg + "\" is not a file inside the vault folder " + folder);
      }
      relative = folder.relativize(p);
    } else {
      Path fromHere = given.toAbsolutePath().normalize();
      relative =
          fromHere.startsWith(folder)
                  && !fromHere.equals(folder)
                  && !dir.isAbsolute()
                  && given.startsWith(dir.normalize())
              ? folder.relativize(fromHere)
              : given;
    }
    StringBuilder sb = new StringBuilder();
    for (Path segment : relative) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(segment);
    }
    try {
      return NotePath.of(sb.toString());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + arg + "\": " + e.getMessage(), e);
    }
  }
}
