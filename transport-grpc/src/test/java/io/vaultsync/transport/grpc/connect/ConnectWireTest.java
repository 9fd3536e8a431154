package io.vaultsync.transport.grpc.connect;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pieces of the Connect protocol both sides share: error codes, error JSON, trailers. */
class ConnectWireTest {
  @Test
  void everyCodeHasAConnectNameThatReadsBackAndAnHttpStatus() {
    for (Status.Code code : Status.Code.values()) {
      if (code == Status.Code.OK) {
        continue;
      }
      assertThat(ConnectCodes.fromName(ConnectCodes.name(code))).isEqualTo(code);
      assertThat(ConnectCodes.httpStatus(code)).isBetween(400, 599);
    }
    assertThat(ConnectCodes.name(Status.Code.CANCELLED)).isEqualTo("canceled");
    assertThat(ConnectCodes.name(Status.Code.NOT_FOUND)).isEqualTo("not_found");
    assertThat(ConnectCodes.httpStatus(Status.Code.UNAUTHENTICATED)).isEqualTo(401);
    assertThat(ConnectCodes.httpStatus(Status.Code.ABORTED)).isEqualTo(409);
    assertThat(ConnectCodes.httpStatus(Status.Code.RESOURCE_EXHAUSTED)).isEqualTo(429);
    assertThat(ConnectCodes.fromName("ok")).isNull();
    assertThat(ConnectCodes.fromName("NOT_FOUND")).isNull();
  }

  @Test
  void anErrorBodyReadsBackWithItsMessageEscaped() {
    String message = "no \"vault\" \\ named\n\tnotes \u00e9\u2028\u0001";
    byte[] body = ConnectErrorJson.write(Status.Code.NOT_FOUND, message);
    assertThat(new String(body, StandardCharsets.UTF_8))
        .startsWith("{\"code\":\"not_found\",\"message\":\"")
        .doesNotContain("\n");
    Status s = ConnectErrorJson.read(body);
    assertThat(s.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(s.getDescription()).isEqualTo(message);
  }

  @Test
  void anErrorBodyFromAnotherConnectServerIsReadAndDetailsSkipped() {
    Status s =
        ConnectErrorJson.read(
            ("{ \"details\": [{\"type\":\"x\",\"value\":\"AAE=\",\"debug\":{\"a\":[1,2,null]}}],"
                    + " \"message\" : \"slow down\", \"code\":\"resource_exhausted\" }")
                .getBytes(StandardCharsets.UTF_8));
    assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(s.getDescription()).isEqualTo("slow down");
  }

  @Test
  void aBodyThatIsNotAConnectErrorReadsAsNoneNeverThrows() {
    for (String bad :
        List.of(
            "",
            "<html>502 Bad Gateway</html>",
            "{\"code\":\"teapot\"}",
            "{\"code\":42}",
            "{\"message\":\"no code\"}",
            "{\"code\":\"not_found\"",
            "{\"code\":\"not_found\",\"message\":\"\\u12\"}",
            "[".repeat(10_000))) {
      assertThat(ConnectErrorJson.read(bad.getBytes(StandardCharsets.UTF_8))).as(bad).isNull();
    }
    assertThat(ConnectErrorJson.read(new byte[ConnectErrorJson.MAX_BYTES + 1])).isNull();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    byte[] good = ConnectErrorJson.write(Status.Code.ABORTED, "stale \"a.md\"");
    for (int i = 0; i < 2_000; i++) {
      byte[] b = Arrays.copyOf(good, random.nextInt(good.length + 1));
      if (b.length > 0) {
        b[random.nextInt(b.length)] = (byte) random.nextInt(256);
      }
      Status s = ConnectErrorJson.read(b); // never throws (seed printed on failure)
      assertThat(s == null || s.getCode() != null).as("seed " + seed).isTrue();
    }
  }

  @Test
  void trailersTravelAsTrailerHeadersBinaryInPaddedBase64AndReadBack() {
    Metadata trailers = new Metadata();
    Metadata.Key<byte[]> current =
        Metadata.Key.of("vaultsync-current-bin", Metadata.BINARY_BYTE_MARSHALLER);
    Metadata.Key<String> mass =
        Metadata.Key.of("vaultsync-mass-delete", Metadata.ASCII_STRING_MARSHALLER);
    trailers.put(current, new byte[] {1, 2, 3, 4});
    trailers.put(mass, "12 of 20, allowed 5");
    trailers.put(
        Metadata.Key.of("grpc-status-details-bin", Metadata.BINARY_BYTE_MARSHALLER),
        new byte[] {9});
    Map<String, List<String>> headers = ConnectTrailers.toHeaders(trailers);
    assertThat(headers)
        .containsOnlyKeys("trailer-vaultsync-current-bin", "trailer-vaultsync-mass-delete");
    assertThat(headers.get("trailer-vaultsync-current-bin")).containsExactly("AQIDBA==");
    assertThat(headers.get("trailer-vaultsync-mass-delete")).containsExactly("12 of 20, allowed 5");
    Metadata back =
        ConnectTrailers.fromHeaders(
            Map.of(
                "Trailer-Vaultsync-Current-Bin", List.of("AQIDBA=="),
                "trailer-vaultsync-mass-delete", List.of("12 of 20, allowed 5"),
                "trailer-broken-bin", List.of("not base64!"),
                "content-type", List.of("application/json")));
    assertThat(back.get(current)).containsExactly(1, 2, 3, 4);
    assertThat(back.get(mass)).isEqualTo("12 of 20, allowed 5");
    assertThat(back.keys())
        .containsExactlyInAnyOrder("vaultsync-current-bin", "vaultsync-mass-delete");
  }

  @Test
  void theTimeoutHeaderIsBoundedAndCheckedNamingTheValue() {
    assertThat(ConnectBridge.timeoutMillis(null)).isEqualTo(ConnectBridge.MAX_TIMEOUT.toMillis());
    assertThat(ConnectBridge.timeoutMillis("61000")).isEqualTo(61_000);
    assertThat(ConnectBridge.timeoutMillis("9999999999"))
        .isEqualTo(ConnectBridge.MAX_TIMEOUT.toMillis());
    for (String bad : List.of("", "-1", "1.5", "12345678901", "10s")) {
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ConnectBridge.timeoutMillis(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"" + bad + "\"");
    }
  }
}
