package io.vaultsync.server.s3;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.gaul.s3proxy.AuthenticationType;
import org.gaul.s3proxy.S3Proxy;
import org.jclouds.ContextBuilder;
import org.jclouds.blobstore.BlobStoreContext;

/**
 * An S3-compatible server for tests: s3proxy in this JVM on 127.0.0.1, with jclouds' filesystem
 * backend in a folder (so a test can damage a stored pack, and a stopped server can start again on
 * the same port with the same content). Access key {@link #ACCESS_KEY}, secret {@link #SECRET}.
 */
final class S3ProxyServer implements AutoCloseable {
  static final String ACCESS_KEY = "vaultsync-test";
  static final String SECRET = "vaultsync-test-secret";

  private final Path folder;
  private final BlobStoreContext context;
  private S3Proxy proxy;
  private int port;

  private S3ProxyServer(Path folder) {
    this.folder = folder;
    Properties p = new Properties();
    p.setProperty("jclouds.filesystem.basedir", folder.toString());
    this.context =
        ContextBuilder.newBuilder("filesystem")
            .credentials("identity", "credential")
            .overrides(p)
            .build(BlobStoreContext.class);
  }

  /** Starts a server on a free port, keeping its objects under {@code folder}. */
  static S3ProxyServer start(Path folder) throws Exception {
    Files.createDirectories(folder);
    S3ProxyServer s = new S3ProxyServer(folder);
    s.startOn(0);
    return s;
  }

  private void startOn(int port) throws Exception {
    proxy =
        S3Proxy.builder()
            .blobStore(context.getBlobStore())
            .endpoint(URI.create("http://127.0.0.1:" + port))
            .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET)
            .build();
    proxy.start();
    while (!proxy.getState().equals("STARTED")) {
      Thread.onSpinWait();
    }
    this.port = proxy.getPort();
  }

  /** Creates a bucket. */
  void createBucket(String name) {
    context.getBlobStore().createContainerInLocation(null, name);
  }

  URI endpoint() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** The file holding {@code key} of {@code bucket}. */
  Path file(String bucket, String key) {
    return folder.resolve(bucket).resolve(key);
  }

  /** Stops serving (the port refuses connections); {@link #restart} serves the same objects. */
  void stop() throws Exception {
    proxy.stop();
  }

  /** Starts again on the same port. */
  void restart() throws Exception {
    startOn(port);
  }

  @Override
  public void close() throws Exception {
    try {
      proxy.stop();
    } catch (Exception ignored) {
      // stopped already
    }
    context.close();
  }

  static void flipByte(Path file, long at) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[(int) at] ^= 0x40;
    Files.write(file, b);
  }
}
