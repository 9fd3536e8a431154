package io.vaultsync.client.merge;

import io.vaultsync.model.tree.NotePath;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;

/**
 * Which files are merged line by line: Markdown and plain text by extension, and only when the
 * content is valid UTF-8 without NUL bytes and at most {@value #MAX_MERGE_BYTES} bytes.
 */
public final class TextFiles {
  /** Largest version the client merges in memory; larger files are kept both. */
  public static final int MAX_MERGE_BYTES = 16 << 20;

  private static final Set<String> EXTENSIONS = Set.of("md", "markdown", "txt");

  private TextFiles() {}

  /** Whether {@code path} has a text extension ({@code .md}, {@code .markdown}, {@code .txt}). */
  public static boolean hasTextExtension(NotePath path) {
    String name = path.name();
    int dot = name.lastIndexOf('.');
    return dot > 0 && EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
  }

  /** Whether {@code data} is mergeable text: small enough, valid UTF-8, no NUL. */
  public static boolean isText(byte[] data) {
    if (data.length > MAX_MERGE_BYTES) {
      return false;
    }
    for (byte b : data) {
      if (b == 0) {
        return false;
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(data));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
