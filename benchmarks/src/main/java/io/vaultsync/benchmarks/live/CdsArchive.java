package io.vaultsync.benchmarks.live;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The class-data-sharing archive the benchmarks' CLI processes start with, as the {@code
 * ./vaultsync} launcher makes one for its jar (docs/ARCHITECTURE.md, "CLI start-up"): made once per
 * class path by a training run ({@code io.vaultsync.client.cli.StartupTraining} with {@code
 * -XX:ArchiveClassesAtExit}) into the temporary folder, named by a hash of the class path and its
 * jars' sizes and times, written under a temporary name and renamed only after the run succeeded (a
 * truncated archive crashes the JVM). Only a class path of jars can be archived; for anything else,
 * or when the run fails, there is no archive and the processes start without one.
 */
final class CdsArchive {
  private static final String TRAINING = "io.vaultsync.client.cli.StartupTraining";

  /** Archives made or found in this JVM, by class path; empty when none could be made. */
  private static final Map<String, Optional<Path>> MADE = new ConcurrentHashMap<>();

  private CdsArchive() {}

  /** The archive for {@code classpath}, made with {@code jvmOptions} if it does not exist yet. */
  static Optional<Path> forClasspath(String classpath, List<String> jvmOptions) {
    return MADE.computeIfAbsent(classpath, cp -> make(cp, jvmOptions));
  }

  private static Optional<Path> make(String classpath, List<String> jvmOptions) {
    try {
      StringBuilder key = new StringBuilder(CliProcess.javaBinary()).append('\n');
      for (String element : classpath.split(File.pathSeparator)) {
        Path jar = Path.of(element);
        if (!element.endsWith(".jar") || !Files.isRegularFile(jar)) {
          return Optional.empty();
        }
        key.append(jar.toAbsolutePath())
            .append(' ')
            .append(Files.size(jar))
            .append(' ')
            .append(Files.getLastModifiedTime(jar).toMillis())
            .append('\n');
      }
      String name = "vaultsync-cds-" + sha256(key.toString()).substring(0, 16) + ".jsa";
      Path archive = Path.of(System.getProperty("java.io.tmpdir")).resolve(name);
      if (Files.isRegularFile(archive) && Files.size(archive) > 0) {
        return Optional.of(archive);
      }
      Path tmp = Files.createTempFile(archive.getParent(), name, ".tmp");
      Files.delete(tmp); // the JVM writes it
      List<String> cmd = new ArrayList<>();
      cmd.add(CliProcess.javaBinary());
      cmd.addAll(jvmOptions);
      cmd.add("-XX:ArchiveClassesAtExit=" + tmp);
      cmd.add("-cp");
      cmd.add(classpath);
      cmd.add(TRAINING);
      Process p =
          new ProcessBuilder(cmd)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      p.getOutputStream().close();
      boolean ended = p.waitFor(3, TimeUnit.MINUTES);
      if (!ended) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
      if (ended && p.exitValue() == 0 && Files.isRegularFile(tmp) && Files.size(tmp) > 0) {
        Files.move(tmp, archive, StandardCopyOption.ATOMIC_MOVE);
        return Optional.of(archive);
      }
      Files.deleteIfExists(tmp);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Optional.empty();
    }
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
