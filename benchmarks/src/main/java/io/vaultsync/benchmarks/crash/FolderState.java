package io.vaultsync.benchmarks.crash;

import io.vaultsync.core.hash.ContentHash;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A replica folder as a person would see it: every file but the state folder, by path ({@code /}
 * separators) with its SHA-256, and apart from them the temporary files of transfers ({@code
 * .vstmp-*} files, and whatever is in {@code .vaultsync/tmp}). Read without the client's index or
 * ignore rules, so a partial or stray file cannot hide.
 *
 * @param files path to content hash, temporary files excluded
 * @param tempFiles paths of {@code .vstmp-*} files outside the state folder and of the files in
 *     {@code .vaultsync/tmp}
 */
public record FolderState(Map<String, ContentHash> files, List<String> tempFiles) {
  static final String STATE_FOLDER = ".vaultsync";
  static final String TEMP_PREFIX = ".vstmp-";

  /** Where the client keeps the temporary files of downloads and merges. */
  static final String STATE_TEMP = STATE_FOLDER + "/tmp";

  /** Reads {@code dir} (empty if it does not exist). */
  public static FolderState of(Path dir) throws IOException {
    Map<String, ContentHash> files = new TreeMap<>();
    List<String> temps = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return new FolderState(files, temps);
    }
    Files.walkFileTree(
        dir,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
            String rel =
                dir.relativize(f).toString().replace(f.getFileSystem().getSeparator(), "/");
            if (rel.startsWith(STATE_FOLDER + "/")) {
              if (rel.startsWith(STATE_TEMP + "/")) {
                temps.add(rel); // a download's or a merge's work in progress
              }
            } else if (f.getFileName().toString().startsWith(TEMP_PREFIX)) {
              temps.add(rel);
            } else if (attrs.isRegularFile()) {
              files.put(rel, ContentHash.digestOf(Files.readAllBytes(f)));
            }
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult visitFileFailed(Path f, IOException e) throws IOException {
            if (Files.notExists(f)) {
              return FileVisitResult.CONTINUE; // renamed away while walking
            }
            throw e;
          }
        });
    return new FolderState(files, temps);
  }

  /** Temporary files in the state folder ({@code .vaultsync/tmp} and the like). */
  public static List<String> stateTempFiles(Path dir) throws IOException {
    Path state = dir.resolve(STATE_FOLDER);
    List<String> out = new ArrayList<>();
    if (!Files.isDirectory(state)) {
      return out;
    }
    try (var s = Files.walk(state)) {
      s.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX))
          .forEach(p -> out.add(dir.relativize(p).toString()));
    }
    return out;
  }
}
