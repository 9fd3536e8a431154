package io.vaultsync.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * An S3-compatible server for tests: s3proxy 2.6.0 with its filesystem backend in a folder, in a
 * JVM of its own (its Jetty clashes with the server's Javalin), on 127.0.0.1 and a free port.
 * Objects are files under {@code folder/BUCKET/KEY}, so a test can damage one. Access key {@link
 * #ACCESS_KEY}, secret {@link #SECRET}; {@link #useCredentials()} hands them to the AWS SDK of this
 * JVM.
 */
final class S3ProxyProcess implements AutoCloseable {
  static final String ACCESS_KEY = "vaultsync-test";
  static final String SECRET = "vaultsync-test-secret";

  /** The bucket {@link #startWithBucket} makes. */
  static final String BUCKET = "vaults";

  private final Path folder;
  private final int port;
  private final Process process;

  private S3ProxyProcess(Path folder, int port, Process process) {
    this.folder = folder;
    this.port = port;
    this.process = process;
  }

  /** Starts s3proxy keeping its objects under {@code folder}; waits until it listens. */
  static S3ProxyProcess start(Path folder) throws IOException, InterruptedException {
    String jar = System.getProperty("s3proxy.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      throw new IllegalStateException(
          "s3proxy's jar is missing (" + jar + "); the build copies it into target/s3proxy");
    }
    Files.createDirectories(folder.resolve("data"));
    int port;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Path conf = folder.resolve("s3proxy.conf");
    Files.writeString(
        conf,
        String.join(
            "\n",
            "s3proxy.endpoint=http://127.0.0.1:" + port,
            "s3proxy.authorization=aws-v2-or-v4",
            "s3proxy.identity=" + ACCESS_KEY,
            "s3proxy.credential=" + SECRET,
            "jclouds.provider=filesystem",
            "jclouds.filesystem.basedir=" + folder.resolve("data"),
            ""));
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process p =
        new ProcessBuilder(
                List.of(java.toString(), "-Xmx256m", "-jar", jar, "--properties", conf.toString()))
            .redirectErrorStream(true)
            .redirectOutput(folder.resolve("s3proxy.log").toFile())
            .start();
    S3ProxyProcess s3 = new S3ProxyProcess(folder, port, p);
    try {
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(50))
          .until(() -> s3.listens() || !p.isAlive());
    } catch (org.awaitility.core.ConditionTimeoutException e) {
      // reported below
    }
    if (!s3.listens()) {
      s3.close();
      throw new IOException(
          "s3proxy did not start on port "
              + port
              + ": "
              + Files.readString(folder.resolve("s3proxy.log")));
    }
    return s3;
  }

  private boolean listens() {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Starts s3proxy under {@code folder} with the bucket {@link #BUCKET}. */
  static S3ProxyProcess startWithBucket(Path folder) throws IOException, InterruptedException {
    S3ProxyProcess s3 = start(folder);
    s3.createBucket(BUCKET);
    return s3;
  }

  /** Makes a bucket (the filesystem backend keeps it as a folder). */
  void createBucket(String name) throws IOException {
    Files.createDirectories(folder.resolve("data").resolve(name));
  }

  /** The folder a bucket's objects are files in. */
  Path bucketFolder(String name) {
    return folder.resolve("data").resolve(name);
  }

  int port() {
    return port;
  }

  /** Hands the access key and secret to the AWS SDK's default chain in this JVM. */
  static void useCredentials() {
    System.setProperty("aws.accessKeyId", ACCESS_KEY);
    System.setProperty("aws.secretAccessKey", SECRET);
  }

  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
