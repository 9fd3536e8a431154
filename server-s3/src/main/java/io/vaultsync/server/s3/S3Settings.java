package io.vaultsync.server.s3;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * How to reach an S3-compatible store and where to cache what it serves.
 *
 * @param location the bucket and key prefix
 * @param endpoint the service's address, e.g. {@code http://127.0.0.1:9000} for MinIO, Garage,
 *     SeaweedFS, Ceph or s3proxy; null for AWS itself (addressed path-style either way)
 * @param region the signing region ({@code AWS_REGION}, default {@code us-east-1})
 * @param credentials the SDK's default chain ({@code AWS_ACCESS_KEY_ID} and {@code
 *     AWS_SECRET_ACCESS_KEY}, or a profile) unless a test gives others
 * @param cache the folder of the local read cache
 * @param cacheBytes the most the cache may hold, in bytes of content
 * @param clock the time of pins and commits and the age of orphan packs (tests move it)
 */
public record S3Settings(
    S3Location location,
    URI endpoint,
    String region,
    AwsCredentialsProvider credentials,
    Path cache,
    long cacheBytes,
    Clock clock) {
  /** The region when {@code AWS_REGION} is not set. */
  public static final String DEFAULT_REGION = "us-east-1";

  public S3Settings {
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(credentials, "credentials");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(clock, "clock");
    if (cacheBytes < 0) {
      throw new IllegalArgumentException("cache size " + cacheBytes + " bytes; expected >= 0");
    }
    if (endpoint != null
        && (endpoint.getScheme() == null
            || !(endpoint.getScheme().equals("http") || endpoint.getScheme().equals("https"))
            || endpoint.getHost() == null)) {
      throw new IllegalArgumentException(
          "S3 endpoint " + endpoint + " is not an http:// or https:// address with a host");
    }
  }

  /** Settings from the environment: {@code AWS_REGION} and the SDK's default credentials. */
  public static S3Settings fromEnvironment(
      S3Location location, URI endpoint, Path cache, long cacheBytes) {
    String region = System.getenv("AWS_REGION");
    return new S3Settings(
        location,
        endpoint,
        region == null || region.isBlank() ? DEFAULT_REGION : region.trim(),
        DefaultCredentialsProvider.builder().build(),
        cache,
        cacheBytes,
        Clock.systemUTC());
  }

  /** These settings with {@code clock}. */
  public S3Settings withClock(Clock clock) {
    return new S3Settings(location, endpoint, region, credentials, cache, cacheBytes, clock);
  }

  /** What to call the store in a message: its URL and, when not AWS, its endpoint. */
  public String describe() {
    return location + (endpoint == null ? "" : " at " + endpoint);
  }
}
