package io.vaultsync.protocol.testkit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * What a failing disk does to stored content, for a runner's {@code loseContent} hook: flips a byte
 * of every copy of some content in the files of a folder (packs, object-store files, caches), so a
 * store that verifies what it serves finds it damaged.
 */
public final class ContentDamage {
  private ContentDamage() {}

  /**
   * Flips the first byte of every copy of {@code content} in the regular files under {@code folder}
   * that {@code which} accepts (none if the folder does not exist).
   *
   * @return how many copies were damaged
   */
  public static int flipCopies(Path folder, byte[] content, Predicate<Path> which)
      throws IOException {
    if (!Files.isDirectory(folder)) {
      return 0;
    }
    List<Path> files;
    try (Stream<Path> walk = Files.walk(folder)) {
      files = walk.filter(Files::isRegularFile).filter(which).toList();
    }
    int damaged = 0;
    for (Path f : files) {
      byte[] bytes = Files.readAllBytes(f);
      for (int at = indexOf(bytes, content, 0); at >= 0; at = indexOf(bytes, content, at + 1)) {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
          ch.write(ByteBuffer.wrap(new byte[] {(byte) (bytes[at] ^ 0x55)}), at);
        }
        damaged++;
      }
    }
    return damaged;
  }

  private static int indexOf(byte[] haystack, byte[] needle, int from) {
    outer:
    for (int i = from; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
