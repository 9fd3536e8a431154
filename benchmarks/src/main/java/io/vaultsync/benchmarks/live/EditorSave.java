package io.vaultsync.benchmarks.live;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** The two ways editors save a note, as the benchmarks reproduce them. */
public enum EditorSave {
  /**
   * Write the whole content to a temporary file beside the note, then rename it over the note
   * (JetBrains' "safe write" names it {@code NAME___jb_tmp___}; vim and many others do the same
   * with other names). The watcher sees the temporary file appear and the note replaced.
   */
  TEMP_AND_RENAME {
    @Override
    public void save(Path note, byte[] content) throws IOException {
      Path tmp = note.resolveSibling(note.getFileName() + "___jb_tmp___");
      Files.write(tmp, content);
      Files.move(tmp, note, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
  },
  /**
   * Truncate the note and write the new content into it (Obsidian's own save, VS Code's): a watcher
   * may see the file empty or half-written for a moment.
   */
  IN_PLACE {
    @Override
    public void save(Path note, byte[] content) throws IOException {
      Files.write(note, content);
    }
  };

  /** Replaces the content of {@code note} with {@code content}, the way this editor does. */
  public abstract void save(Path note, byte[] content) throws IOException;
}
