package io.vaultsync.server.mirror;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The operations by which {@link MasterFolder} puts content into a master folder: those that need
 * space, or can otherwise fail half-way on a sick disk. {@link #REAL} is the file system; tests
 * pass one that fails on demand ("No space left on device") instead of filling a small file system.
 */
public interface MasterDisk {
  /** Creates {@code file}, which must not exist, and opens it for writing. */
  OutputStream create(Path file) throws IOException;

  /** Renames {@code from} over {@code to}, atomically where the file system can. */
  void replace(Path from, Path to) throws IOException;

  /** Creates the folder {@code dir}, whose parent exists. */
  void createDirectory(Path dir) throws IOException;

  /** The real file system. */
  MasterDisk REAL =
      new MasterDisk() {
        @Override
        public OutputStream create(Path file) throws IOException {
          return Files.newOutputStream(file, StandardOpenOption.CREATE_NEW);
        }

        @Override
        public void replace(Path from, Path to) throws IOException {
          try {
            Files.move(
                from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
          } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
          }
        }

        @Override
        public void createDirectory(Path dir) throws IOException {
          Files.createDirectory(dir);
        }

        @Override
        public String toString() {
          return "MasterDisk.REAL";
        }
      };
}
