package io.vaultsync.server.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.server.cluster.ObjectStoreProvider;
import java.net.URI;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

/** The provider is found by ServiceLoader and reads {@code s3://bucket[/prefix]}. */
class S3ObjectStoreProviderTest {
  @Test
  void theProviderIsFoundAndOpensS3UrlsOnly() {
    ObjectStoreProvider p =
        ServiceLoader.load(ObjectStoreProvider.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(x -> x.opens(URI.create("s3://vaults")))
            .findFirst()
            .orElseThrow();
    assertThat(p).isInstanceOf(S3ObjectStoreProvider.class);
    assertThat(p.opens(URI.create("file:///tmp/x"))).isFalse();
  }

  @Test
  void urlsGiveABucketAndAPrefix() {
    assertThat(S3Location.parse(URI.create("s3://vaults"))).isEqualTo(new S3Location("vaults", ""));
    assertThat(S3Location.parse(URI.create("s3://vaults/")))
        .isEqualTo(new S3Location("vaults", ""));
    assertThat(S3Location.parse(URI.create("s3://vaults/team/a")))
        .isEqualTo(new S3Location("vaults", "team/a/"));
    assertThat(new S3Location("vaults", "team/").packKey("p1")).isEqualTo("team/packs/p1.pack");
    assertThatThrownBy(() -> S3Location.parse(URI.create("s3://Bad_Bucket/x")))
        .hasMessageContaining("s3://Bad_Bucket/x");
    assertThatThrownBy(() -> S3Location.parse(URI.create("http://vaults/x")))
        .hasMessageContaining("is not s3://bucket");
    assertThatThrownBy(() -> S3Location.parse(URI.create("s3://vaults/x?secret=1")))
        .hasMessageContaining("query");
  }
}
