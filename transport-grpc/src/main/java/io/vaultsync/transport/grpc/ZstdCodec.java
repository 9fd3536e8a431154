package io.vaultsync.transport.grpc;

import com.github.luben.zstd.RecyclingBufferPool;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import io.grpc.Codec;
import io.grpc.CompressorRegistry;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.DecompressorRegistry;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The {@code zstd} message encoding of gRPC (zstd-jni): the calls that carry bulk bytes (a Commit
 * with puts, FetchMany, Fetch and manifest streams) compress each message as one zstd frame, so the
 * hundreds of notes in one message share one compression context, as rsync -z's one zlib stream
 * does. Both ends register it ({@link #compressors}, {@link #decompressors}); each end advertises
 * it in {@code grpc-accept-encoding} and uses it only towards a peer that advertised it (an older
 * peer, or the browser face's channel, gets today's messages). Under zstd the deltas' literals
 * travel raw ({@link io.vaultsync.core.format.RawLiteralOutput}): LZ4 inside each file only hides
 * the text from zstd.
 *
 * <p>Bounds: a message's decompressed size is bounded by gRPC's maximum inbound message size
 * (RESOURCE_EXHAUSTED naming it); a frame may not ask for a window over {@value #WINDOW_LOG_MAX}
 * bits (8 MiB, one message), so a hostile header cannot make the decoder allocate more.
 */
final class ZstdCodec implements Codec {
  /** The encoding's name in {@code grpc-encoding} and {@code grpc-accept-encoding}. */
  static final String NAME = "zstd";

  /**
   * Compression level: zstd's default. On notes it packs ~8% tighter than level 1 at about half the
   * speed (transport-grpc/README.md, "Compression").
   */
  static final int LEVEL = 3;

  /**
   * Largest window a frame may ask for: 2^23 bytes, {@link
   * io.vaultsync.protocol.Limits#MESSAGE_BYTES}.
   */
  static final int WINDOW_LOG_MAX = 23;

  static final ZstdCodec INSTANCE = new ZstdCodec();

  private static final Metadata.Key<String> ACCEPT_ENCODING =
      Metadata.Key.of("grpc-accept-encoding", Metadata.ASCII_STRING_MARSHALLER);

  /** Whether the client of the current server call advertised zstd. */
  private static final Context.Key<Boolean> PEER_ACCEPTS = Context.key("vaultsync-accepts-zstd");

  private ZstdCodec() {}

  @Override
  public String getMessageEncoding() {
    return NAME;
  }

  @Override
  public OutputStream compress(OutputStream os) throws IOException {
    return new ZstdOutputStreamNoFinalizer(os, RecyclingBufferPool.INSTANCE, LEVEL);
  }

  @Override
  public InputStream decompress(InputStream is) throws IOException {
    return new ZstdInputStreamNoFinalizer(is, RecyclingBufferPool.INSTANCE)
        .setLongMax(WINDOW_LOG_MAX);
  }

  /** gRPC's compressors (gzip) and zstd. */
  static CompressorRegistry compressors() {
    CompressorRegistry registry = CompressorRegistry.newEmptyInstance();
    registry.register(new Codec.Gzip());
    registry.register(INSTANCE);
    return registry;
  }

  /** gRPC's decompressors (gzip, advertised) and zstd, advertised. */
  static DecompressorRegistry decompressors() {
    return DecompressorRegistry.getDefaultInstance().with(INSTANCE, true);
  }

  /** Whether {@code acceptEncoding} (a {@code grpc-accept-encoding} value, or null) names zstd. */
  static boolean accepts(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String name : acceptEncoding.split(",", -1)) {
      if (name.trim().equals(NAME)) {
        return true;
      }
    }
    return false;
  }

  /** The {@code grpc-accept-encoding} value of {@code headers}, or null. */
  static String acceptEncoding(Metadata headers) {
    return headers == null ? null : headers.get(ACCEPT_ENCODING);
  }

  /**
   * Puts, in each call's context, whether its client advertised zstd (see {@link #peerAccepts}).
   */
  static ServerInterceptor serverInterceptor() {
    return new ServerInterceptor() {
      @Override
      public <Q, R> ServerCall.Listener<Q> interceptCall(
          ServerCall<Q, R> call, Metadata headers, ServerCallHandler<Q, R> next) {
        if (!accepts(acceptEncoding(headers))) {
          return next.startCall(call, headers);
        }
        return Contexts.interceptCall(
            Context.current().withValue(PEER_ACCEPTS, Boolean.TRUE), call, headers, next);
      }
    };
  }

  /**
   * Whether the client of the server call running on this thread advertised zstd; read it on the
   * thread gRPC called the service on (the context is not carried to the executor).
   */
  static boolean peerAccepts() {
    return Boolean.TRUE.equals(PEER_ACCEPTS.get());
  }

  /**
   * Compresses the responses of the server call {@code obs} with zstd when its client advertised it
   * (call on the thread gRPC called the service on, before the first response).
   *
   * @return whether the responses will be zstd-compressed (then deltas may carry raw literals)
   */
  static boolean compressResponses(io.grpc.stub.StreamObserver<?> obs) {
    return peerAccepts() && trySet((io.grpc.stub.ServerCallStreamObserver<?>) obs);
  }

  /**
   * Sets zstd as the compression of {@code call}'s responses; false when the server was built
   * without it (a service mounted on a server that {@link VaultSyncServices#configure} did not
   * configure), which then answers as before.
   */
  static boolean trySet(io.grpc.stub.ServerCallStreamObserver<?> call) {
    try {
      call.setCompression(NAME);
      return true;
    } catch (IllegalArgumentException e) {
      return false; // "Unable to find compressor by name zstd"
    }
  }
}
