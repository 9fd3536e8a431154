package io.vaultsync.server.s3;

import io.vaultsync.server.cluster.ObjectStoreProvider;
import io.vaultsync.server.db.Database;
import io.vaultsync.server.store.ContentStore;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;

/**
 * Opens {@link S3ContentStore}s for URLs {@code s3://bucket} and {@code s3://bucket/prefix}, found
 * by {@link java.util.ServiceLoader} ({@code META-INF/services}). Credentials come from the AWS
 * SDK's default chain ({@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}, or a profile),
 * the region from {@code AWS_REGION} (default {@code us-east-1}); buckets are addressed path-style
 * at {@code endpoint} (MinIO, Garage, SeaweedFS, Ceph, s3proxy), or at AWS when it is null.
 */
public final class S3ObjectStoreProvider implements ObjectStoreProvider {
  @Override
  public boolean opens(URI url) {
    return url != null && "s3".equalsIgnoreCase(url.getScheme());
  }

  /**
   * {@inheritDoc}
   *
   * @throws ObjectStoreException in one line naming the URL when the endpoint cannot be reached,
   *     the bucket is missing or the credentials are refused
   * @throws IllegalArgumentException naming the URL when it is not {@code s3://bucket[/prefix]}
   */
  @Override
  public ContentStore open(URI url, URI endpoint, Path cache, long cacheBytes, Database database)
      throws IOException {
    return S3ContentStore.open(
        S3Settings.fromEnvironment(S3Location.parse(url), endpoint, cache, cacheBytes), database);
  }
}
