package io.vaultsync.transport.grpc.connect;

import io.grpc.Status;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the HTTP endpoint answers to a Connect unary call.
 *
 * @param httpStatus 200, or the Connect protocol's status for the error
 * @param contentType {@link ConnectBridge#PROTO} for an answer, {@link ConnectBridge#JSON} for an
 *     error
 * @param body the response message (protobuf binary) or the error JSON
 * @param headers further headers (the {@code trailer-*} ones), name to values
 */
public record ConnectResponse(
    int httpStatus, String contentType, byte[] body, Map<String, List<String>> headers) {
  public ConnectResponse {
    Objects.requireNonNull(contentType, "contentType");
    Objects.requireNonNull(body, "body");
    headers = Map.copyOf(headers);
  }

  /** An error answer with {@code code} and a one-line {@code message}. */
  public static ConnectResponse error(Status.Code code, String message) {
    return error(code, message, Map.of());
  }

  /** An error answer with {@code code}, {@code message} and trailer headers. */
  static ConnectResponse error(
      Status.Code code, String message, Map<String, List<String>> headers) {
    return new ConnectResponse(
        ConnectCodes.httpStatus(code),
        ConnectBridge.JSON,
        ConnectErrorJson.write(code, message),
        headers);
  }

  /** The Connect error code of an error answer, or null for a success. */
  public Status.Code errorCode() {
    if (httpStatus == 200) {
      return null;
    }
    Status s = ConnectErrorJson.read(body);
    return s == null ? Status.Code.UNKNOWN : s.getCode();
  }

  @Override
  public String toString() {
    return "ConnectResponse[" + httpStatus + " " + contentType + ", " + body.length + " bytes]";
  }
}
