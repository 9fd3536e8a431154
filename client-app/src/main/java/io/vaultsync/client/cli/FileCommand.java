package io.vaultsync.client.cli;

import io.vaultsync.core.io.AtomicFiles;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * What the rdiff-shaped subcommands share: {@code -} for standard input and output, atomic file
 * outputs, {@code --stats}, and turning a failure into exit code {@value
 * VaultsyncCommand#EXIT_BAD_INPUT} with one line on stderr.
 */
abstract class FileCommand implements Callable<Integer> {
  /** The argument that names standard input or output. */
  static final String STDIO = "-";

  /** Buffer size for standard input and output. */
  static final int STDIO_BUFFER = 256 * 1024;

  @ParentCommand VaultsyncCommand root;

  @Spec CommandSpec spec;

  @Option(
      names = {"-s", "--stats"},
      description = "Print one line of JSON statistics to stderr when done.")
  boolean stats;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description =
          "Threads for hashing and matching (default: the number of processors; 1 uses only the"
              + " calling thread). The output is the same whatever the number.")
  int threads = Runtime.getRuntime().availableProcessors();

  private ExecutorService executor;

  /** A pool for the engine's second core, or null when --threads is 1. */
  ExecutorService executor() {
    if (threads < 1 || threads > 256) {
      throw new IllegalArgumentException(
          "--threads " + threads + " is out of range; expected 1..256");
    }
    if (threads == 1) {
      return null;
    }
    if (executor == null) {
      executor =
          Executors.newFixedThreadPool(
              threads,
              r -> {
                Thread t = new Thread(r, "vaultsync-worker");
                t.setDaemon(true);
                return t;
              });
    }
    return executor;
  }

  @Override
  public final Integer call() {
    long start = System.nanoTime();
    PrintWriter err = spec.commandLine().getErr();
    try {
      StatsLine line = run();
      if (stats) {
        err.println(line.put("millis", (System.nanoTime() - start) / 1_000_000));
        err.flush();
      }
      return VaultsyncCommand.EXIT_OK;
    } catch (IOException | UncheckedIOException | IllegalArgumentException e) {
      err.println("vaultsync: " + spec.name() + ": " + ErrorMessages.describe(e));
      err.flush();
      return VaultsyncCommand.EXIT_BAD_INPUT;
    } finally {
      if (executor != null) {
        executor.shutdownNow();
      }
    }
  }

  /**
   * Does the work; returns the statistics gathered (without the time). Throws {@code IOException}
   * for bad input or I/O failures, {@code IllegalArgumentException} for bad option values, and
   * picocli's {@code ParameterException} for usage errors.
   */
  abstract StatsLine run() throws IOException;

  /** Statistics for this command, starting with its name. */
  StatsLine statsLine() {
    return new StatsLine(spec.name());
  }

  /**
   * Opens an input: buffered standard input for {@code -} (closing the stream leaves standard input
   * open), else the file.
   */
  InputStream openInput(String arg) throws IOException {
    if (STDIO.equals(arg)) {
      return new BufferedInputStream(
          new FilterInputStream(root.stdin()) {
            @Override
            public void close() {}
          },
          STDIO_BUFFER);
    }
    return Files.newInputStream(existingFile(arg));
  }

  /** The path of an input that must be an existing regular file (not a folder). */
  static Path existingFile(String arg) throws IOException {
    Path path = Path.of(arg);
    if (Files.isDirectory(path)) {
      throw new FileSystemException(arg, null, "is a folder, not a file");
    }
    if (!Files.exists(path)) {
      throw new NoSuchFileException(arg);
    }
    return path;
  }

  /**
   * Writes an output: to standard output for {@code -} (buffered and flushed, not closed), else to
   * the file atomically, so on failure the file does not appear, or keeps its old content.
   */
  <T> T writeOutput(String arg, AtomicFiles.Writer<T> writer) throws IOException {
    if (STDIO.equals(arg)) {
      OutputStream out =
          new BufferedOutputStream(
              new FilterOutputStream(root.stdout()) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                  out.write(b, off, len);
                }

                @Override
                public void close() {}
              },
              STDIO_BUFFER);
      T result = writer.write(out);
      out.flush();
      return result;
    }
    Path path = Path.of(arg);
    Path folder = path.toAbsolutePath().getParent();
    if (!Files.isDirectory(folder)) {
      throw new NoSuchFileException(folder.toString(), null, "no such folder");
    }
    if (Files.isDirectory(path)) {
      // Renaming over an empty folder would replace it with the file.
      throw new FileSystemException(arg, null, "is a folder, not a file");
    }
    return AtomicFiles.write(path, writer);
  }

  /** An input stream that counts the bytes read through it. */
  static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    @Override
    public long skip(long n) throws IOException {
      long skipped = in.skip(n);
      count += skipped;
      return skipped;
    }

    @Override
    public boolean markSupported() {
      return false;
    }
  }

  /** An output stream that counts the bytes written through it. */
  static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }
}
