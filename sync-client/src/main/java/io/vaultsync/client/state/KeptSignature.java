package io.vaultsync.client.state;

import io.vaultsync.core.format.SignatureFormat;
import io.vaultsync.core.signature.Signature;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * The serialized signature (docs/FORMAT.md) of a version the client last synced, kept so a push
 * delta needs nothing from the server. Kept as bytes and parsed only when an upload needs it, so
 * loading an index of 10,000 notes does not parse 10,000 signatures. Immutable.
 */
public final class KeptSignature {
  /** Largest serialized signature an index may hold (that of a file of several GiB). */
  public static final int MAX_BYTES = 64 << 20;

  private final byte[] bytes;

  private KeptSignature(byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "kept signature of " + bytes.length + " bytes; at most " + MAX_BYTES);
    }
    this.bytes = bytes;
  }

  /** Serializes {@code signature}. */
  public static KeptSignature of(Signature signature) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      SignatureFormat.write(signature, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new KeptSignature(out.toByteArray());
  }

  /** Wraps serialized bytes (copied); they are validated when {@link #signature()} parses them. */
  public static KeptSignature fromBytes(byte[] bytes) {
    return new KeptSignature(bytes.clone());
  }

  /** Wraps bytes the caller hands over and never touches again (a reader's fresh buffer). */
  static KeptSignature wrap(byte[] bytes) {
    return new KeptSignature(bytes);
  }

  /** Writes the serialized bytes to {@code out} without copying them. */
  void writeTo(java.io.DataOutput out) throws IOException {
    out.write(bytes);
  }

  /** Parses the signature. */
  public Signature signature() throws IOException {
    return SignatureFormat.read(new ByteArrayInputStream(bytes));
  }

  /** A copy of the serialized bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  public int length() {
    return bytes.length;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KeptSignature k && Arrays.equals(bytes, k.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "KeptSignature[" + bytes.length + " bytes]";
  }
}
