package io.vaultsync.server.s3;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 requests the store makes (PUT, ranged GET, LIST, DELETE, HEAD bucket) on one SDK
 * client, and the one place that turns the SDK's exceptions into {@link IOException}s: an
 * unreachable endpoint, a missing bucket and refused credentials become a one-line {@link
 * ObjectStoreException} naming the store; a missing key a {@link NoSuchFileException}.
 *
 * <p>The client addresses buckets path-style ({@code http://endpoint/bucket/key}), which every
 * S3-compatible service accepts, and computes request checksums and validates response checksums
 * only where S3 requires them: SDK 2.30 and later send CRC32 trailers in aws-chunked bodies by
 * default, which older MinIO, Ceph, Garage and s3proxy releases reject. Content is verified by its
 * SHA-256 on every read anyway. Thread-safe.
 */
final class S3Bucket implements AutoCloseable {
  /** One object as listed. */
  record Listed(String key, long size, Instant lastModified) {}

  private final S3Settings settings;
  private final S3Client client;

  /** Bytes read by ranged GETs and PUT requests made (for tests and logs). */
  final AtomicLong bytesRead = new AtomicLong();

  final AtomicLong puts = new AtomicLong();

  S3Bucket(S3Settings settings) {
    this.settings = settings;
    var builder =
        S3Client.builder()
            .httpClient(
                UrlConnectionHttpClient.builder()
                    .connectionTimeout(Duration.ofSeconds(10))
                    .socketTimeout(Duration.ofSeconds(60))
                    .build())
            .region(Region.of(settings.region()))
            .credentialsProvider(settings.credentials())
            .forcePathStyle(true)
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
    if (settings.endpoint() != null) {
      builder.endpointOverride(settings.endpoint());
    }
    this.client = builder.build();
  }

  private String bucket() {
    return settings.location().bucket();
  }

  /**
   * Checks that the bucket exists and the credentials are accepted (a HEAD of the bucket).
   *
   * @throws ObjectStoreException if not, in one line
   */
  void check() throws IOException {
    try {
      client.headBucket(b -> b.bucket(bucket()));
    } catch (SdkException e) {
      throw fail("open", null, e);
    }
  }

  /** Stores {@code length} bytes under {@code key}; {@code body} may be read more than once. */
  void put(String key, ContentStreamProvider body, long length) throws IOException {
    puts.incrementAndGet();
    try {
      client.putObject(
          b -> b.bucket(bucket()).key(key).contentLength(length),
          RequestBody.fromContentProvider(body, length, "application/octet-stream"));
    } catch (SdkException e) {
      throw fail("store", key, e);
    }
  }

  /**
   * Reads {@code length} bytes of {@code key} from {@code offset} (a ranged GET) into {@code sink},
   * which gets a stream of exactly that many bytes at most.
   *
   * @throws NoSuchFileException if there is no such key
   * @throws EOFException if the object is shorter than the range
   */
  void read(String key, long offset, long length, ReadSink sink) throws IOException {
    if (offset < 0 || length < 0 || offset > Long.MAX_VALUE - length) {
      throw new IllegalArgumentException("range of " + length + " bytes at " + offset);
    }
    if (length == 0) {
      sink.accept(InputStream.nullInputStream());
      return;
    }
    String range = "bytes=" + offset + "-" + (offset + length - 1);
    ResponseInputStream<GetObjectResponse> in;
    try {
      in = client.getObject(b -> b.bucket(bucket()).key(key).range(range));
    } catch (SdkException e) {
      throw fail("read", key, e);
    }
    boolean complete = false;
    try {
      Long got = in.response().contentLength();
      if (got == null || got != length) {
        throw new EOFException(
            key + " returned " + got + " bytes for " + range + "; expected " + length);
      }
      bytesRead.addAndGet(length);
      try (InputStream bounded = new BoundedInputStream(in, length)) {
        sink.accept(bounded);
      }
      complete = true;
    } catch (SdkException e) {
      throw fail("read", key, e);
    } finally {
      if (!complete) {
        in.abort(); // do not read the rest of a response nobody wants
      }
      in.close();
    }
  }

  /** Consumes the bytes of a ranged read. */
  @FunctionalInterface
  interface ReadSink {
    void accept(InputStream in) throws IOException;
  }

  /** Every key under {@code prefix}, page by page. */
  void list(String prefix, Consumer<Listed> each) throws IOException {
    try {
      for (S3Object o :
          client.listObjectsV2Paginator(b -> b.bucket(bucket()).prefix(prefix)).contents()) {
        each.accept(new Listed(o.key(), o.size() == null ? -1 : o.size(), o.lastModified()));
      }
    } catch (SdkException e) {
      throw fail("list", prefix, e);
    }
  }

  /** Deletes {@code key} (nothing happens if it is gone already). */
  void delete(String key) throws IOException {
    try {
      client.deleteObject(b -> b.bucket(bucket()).key(key));
    } catch (SdkException e) {
      throw fail("delete", key, e);
    }
  }

  @Override
  public void close() {
    client.close();
  }

  /** The exception for a failed request: one line that names the store (and the key). */
  IOException fail(String what, String key, SdkException e) {
    String store = settings.describe();
    String where = key == null ? store : key + " in " + store;
    if (e instanceof NoSuchKeyException) {
      NoSuchFileException n = new NoSuchFileException(where, null, "no such key");
      n.initCause(e);
      return n;
    }
    if (e instanceof NoSuchBucketException
        || (e instanceof S3Exception s && s.statusCode() == 404 && key == null)) {
      return new ObjectStoreException(
          "bucket "
              + bucket()
              + " does not exist in "
              + store
              + ": create it, or give the URL of a bucket that exists",
          e);
    }
    if (e instanceof S3Exception s && (s.statusCode() == 403 || s.statusCode() == 401)) {
      String code = s.awsErrorDetails() == null ? null : s.awsErrorDetails().errorCode();
      return new ObjectStoreException(
          store
              + " refused the credentials"
              + (code == null ? " (HTTP " + s.statusCode() + ")" : " (" + code + ")")
              + ": check AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY",
          e);
    }
    if (e instanceof S3Exception s && s.statusCode() == 404) {
      NoSuchFileException n = new NoSuchFileException(where, null, "no such key");
      n.initCause(e);
      return n;
    }
    Throwable network = networkCause(e);
    if (network != null) {
      return new ObjectStoreException(
          store
              + " cannot be reached ("
              + network.getClass().getSimpleName()
              + (network.getMessage() == null ? "" : ": " + oneLine(network.getMessage()))
              + "): check --s3-endpoint and that the service runs",
          e);
    }
    if (e instanceof SdkClientException && String.valueOf(e.getMessage()).contains("credentials")) {
      return new ObjectStoreException(
          "no credentials for "
              + store
              + ": set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or an AWS profile)",
          e);
    }
    return new IOException("cannot " + what + " " + where + ": " + oneLine(e.getMessage()), e);
  }

  private static Throwable networkCause(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException
          || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException
          || t instanceof SocketTimeoutException) {
        return t;
      }
    }
    return null;
  }

  private static String oneLine(String s) {
    return s == null ? "" : s.replaceAll("\\s*[\\r\\n]+\\s*", " ").trim();
  }
}
