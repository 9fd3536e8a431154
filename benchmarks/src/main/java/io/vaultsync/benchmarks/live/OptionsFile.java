package io.vaultsync.benchmarks.live;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A JVM options file of client-app read as the {@code ./vaultsync} launcher reads it: one option a
 * line, {@code #} starts a comment, and a line may start with conditions: {@code [jdk>=N]}, {@code
 * [jdk<N]} (the JDK's feature version) and {@code [not-file-commands]} (not {@code signature},
 * {@code delta}, {@code patch}).
 */
final class OptionsFile {
  private static final Set<String> FILE_COMMANDS = Set.of("signature", "delta", "patch");

  private OptionsFile() {}

  /** The options of class-path resource {@code resource} for {@code command} on JDK {@code jdk}. */
  static List<String> read(String resource, String command, int jdk) {
    try (InputStream in = OptionsFile.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the class path; client-app must be");
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), command, jdk);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + resource, e);
    }
  }

  /** The options of {@code text} that apply to {@code command} on JDK {@code jdk}. */
  static List<String> parse(String text, String command, int jdk) {
    List<String> options = new ArrayList<>();
    for (String line : text.split("\n")) {
      int hash = line.indexOf('#');
      String option = (hash >= 0 ? line.substring(0, hash) : line).strip();
      boolean applies = true;
      while (option.startsWith("[")) {
        int end = option.indexOf(']');
        String cond = option.substring(1, end);
        option = option.substring(end + 1).strip();
        applies &= holds(cond, command, jdk);
      }
      if (applies && !option.isEmpty()) {
        options.add(option);
      }
    }
    return List.copyOf(options);
  }

  private static boolean holds(String cond, String command, int jdk) {
    if (cond.startsWith("jdk>=")) {
      return jdk >= Integer.parseInt(cond.substring(5));
    }
    if (cond.startsWith("jdk<")) {
      return jdk < Integer.parseInt(cond.substring(4));
    }
    if (cond.equals("not-file-commands")) {
      return !FILE_COMMANDS.contains(command);
    }
    throw new IllegalStateException("unknown condition [" + cond + "] in a JVM options file");
  }
}
