package io.vaultsync.transport.grpc.connect;

import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.vaultsync.protocol.Limits;
import io.vaultsync.transport.grpc.ClientAddresses;
import io.vaultsync.transport.grpc.VaultSyncServices;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The browser face of the protocol: answers Connect unary calls ({@code POST
 * /vaultsync.v1.VaultSync/{Method}}, https://connectrpc.com/docs/protocol) by calling the very
 * {@link ServerServiceDefinition} the gRPC port serves, through a gRPC in-process server and
 * channel of its own (messages pass as bytes, never decoded here). So authentication, limits,
 * deadlines, error mapping and the ending of a revoked token's calls are the gRPC ones: no second
 * set of rules. The HTTP endpoint reads the request (checking its size, content type and protocol
 * version) and writes the {@link ConnectResponse}; it never reads cookies or sessions for these
 * calls.
 *
 * <p>A method that streams answers {@code unimplemented} naming its unary alternative; an unknown
 * method {@code unimplemented}. {@code Connect-Timeout-Ms} becomes the call's deadline, at most
 * {@link #MAX_TIMEOUT} (also the deadline when none is given). The browser's address (as the HTTP
 * endpoint resolved it) becomes the call's {@link ClientAddresses#current()}. Every trailer that is
 * not {@code grpc-*} answers as a {@code trailer-<key>} header ({@link ConnectTrailers}).
 * Thread-safe.
 */
public final class ConnectBridge implements AutoCloseable {
  /** The service's path prefix. */
  public static final String PATH_PREFIX = "/vaultsync.v1.VaultSync/";

  /** The content type of requests and answers. */
  public static final String PROTO = "application/proto";

  /** The content type of error answers. */
  public static final String JSON = "application/json";

  /** The only Connect protocol version there is. */
  public static final String PROTOCOL_VERSION = "1";

  /** Largest request body: a message of {@link Limits#MESSAGE_BYTES} and headroom. */
  public static final long MAX_BODY_BYTES = 8L * 1024 * 1024 + 64 * 1024;

  /** Longest deadline of a call (a long poll waits at most a minute). */
  public static final Duration MAX_TIMEOUT = Duration.ofMinutes(5);

  /** Largest answer taken from the service (a FetchPage of 8 MiB and its framing). */
  static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

  /** The header that carries the browser's address to the in-process server only. */
  static final Metadata.Key<String> CLIENT_ADDRESS =
      Metadata.Key.of("vaultsync-bridge-client", Metadata.ASCII_STRING_MARSHALLER);

  static final Metadata.Key<String> AUTHORIZATION =
      Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

  /** The unary call to use instead of each streaming one. */
  static final Map<String, String> UNARY_ALTERNATIVE =
      Map.of(
          "GetManifest", "GetManifestPage",
          "GetManifestAt", "GetManifestPage (at_seq)",
          "GetSnapshotManifest", "GetManifestPage (at_seq)",
          "Fetch", "FetchPage",
          "FetchMany", "FetchPage",
          "Push", "UploadPart",
          "GiveBack", "UploadPart",
          "Subscribe", "WaitChanges");

  private static final MethodDescriptor.Marshaller<byte[]> BYTES = new BytesMarshaller();

  private final ServerServiceDefinition service;
  private final Server server;
  private final ManagedChannel channel;
  private final Map<String, MethodDescriptor<byte[], byte[]>> methods = new ConcurrentHashMap<>();

  private ConnectBridge(ServerServiceDefinition service, Server server, ManagedChannel channel) {
    this.service = service;
    this.server = server;
    this.channel = channel;
  }

  /** Starts the in-process server of {@code service} and the channel to it. */
  public static ConnectBridge start(ServerServiceDefinition service) throws IOException {
    Objects.requireNonNull(service, "service");
    String name = InProcessServerBuilder.generateName();
    Server server =
        InProcessServerBuilder.forName(name)
            .maxInboundMessageSize(VaultSyncServices.MAX_INBOUND_MESSAGE_SIZE)
            .intercept(ClientAddresses.fromHeader(CLIENT_ADDRESS))
            .addService(service)
            .build()
            .start();
    ManagedChannel channel =
        InProcessChannelBuilder.forName(name)
            .maxInboundMessageSize(MAX_ANSWER_BYTES)
            .directExecutor()
            .build();
    return new ConnectBridge(service, server, channel);
  }

  /**
   * Calls {@code method} with the request message {@code body}; blocks until the answer.
   *
   * @param authorization the {@code Authorization} header as received, or null
   * @param timeoutMillis the {@code Connect-Timeout-Ms} header as received, or null
   * @param clientAddress the browser's address (trusted proxies resolved)
   */
  public ConnectResponse call(
      String method, byte[] body, String authorization, String timeoutMillis, String clientAddress)
      throws InterruptedException {
    CompletableFuture<ConnectResponse> answer =
        callAsync(method, body, authorization, timeoutMillis, clientAddress);
    try {
      return answer.get();
    } catch (InterruptedException e) {
      answer.cancel(true);
      throw e;
    } catch (ExecutionException e) {
      throw new IllegalStateException("the bridge's answer failed", e.getCause());
    }
  }

  /**
   * As {@link #call}, without holding a thread while the service works (a long poll waits up to a
   * minute): the answer completes the future. Cancelling the future cancels the call.
   */
  public CompletableFuture<ConnectResponse> callAsync(
      String method,
      byte[] body,
      String authorization,
      String timeoutMillis,
      String clientAddress) {
    ServerMethodDefinition<?, ?> definition =
        service.getMethod(service.getServiceDescriptor().getName() + "/" + method);
    if (definition == null) {
      return CompletableFuture.completedFuture(
          ConnectResponse.error(
              Status.Code.UNIMPLEMENTED,
              "no method \"" + shorten(method) + "\" in vaultsync.v1.VaultSync"));
    }
    if (definition.getMethodDescriptor().getType() != MethodDescriptor.MethodType.UNARY) {
      return CompletableFuture.completedFuture(
          ConnectResponse.error(
              Status.Code.UNIMPLEMENTED,
              method
                  + " streams, which this HTTP face does not; call "
                  + UNARY_ALTERNATIVE.getOrDefault(method, "a unary method")
                  + " instead"));
    }
    long timeout;
    try {
      timeout = timeoutMillis(timeoutMillis);
    } catch (IllegalArgumentException e) {
      return CompletableFuture.completedFuture(
          ConnectResponse.error(Status.Code.INVALID_ARGUMENT, e.getMessage()));
    }
    Metadata headers = new Metadata();
    if (authorization != null) {
      headers.put(AUTHORIZATION, authorization);
    }
    headers.put(CLIENT_ADDRESS, clientAddress == null ? "unknown" : clientAddress);
    ClientCall<byte[], byte[]> call =
        channel.newCall(
            methods.computeIfAbsent(method, m -> descriptor(definition)),
            CallOptions.DEFAULT.withDeadlineAfter(timeout, TimeUnit.MILLISECONDS));
    Answer answer = new Answer();
    answer.done.whenComplete(
        (r, failure) -> {
          if (answer.done.isCancelled()) {
            call.cancel("the HTTP request was given up", null);
          }
        });
    call.start(answer, headers);
    call.request(2);
    call.sendMessage(body);
    call.halfClose();
    return answer.done;
  }

  /**
   * The deadline in milliseconds of a call with {@code Connect-Timeout-Ms} {@code header} (null:
   * none): at most {@link #MAX_TIMEOUT}.
   *
   * @throws IllegalArgumentException naming the value if it is not 1 to 10 digits
   */
  public static long timeoutMillis(String header) {
    long max = MAX_TIMEOUT.toMillis();
    if (header == null) {
      return max;
    }
    if (header.isEmpty() || header.length() > 10 || !header.chars().allMatch(Character::isDigit)) {
      throw new IllegalArgumentException(
          "Connect-Timeout-Ms \"" + shorten(header) + "\"; expected 1 to 10 digits");
    }
    return Math.max(1, Math.min(max, Long.parseLong(header)));
  }

  private static String shorten(String s) {
    return s.length() <= 80 ? s : s.substring(0, 80) + "...";
  }

  private static MethodDescriptor<byte[], byte[]> descriptor(ServerMethodDefinition<?, ?> d) {
    return MethodDescriptor.<byte[], byte[]>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(d.getMethodDescriptor().getFullMethodName())
        .setRequestMarshaller(BYTES)
        .setResponseMarshaller(BYTES)
        .build();
  }

  /** Collects one call's answer. */
  private static final class Answer extends ClientCall.Listener<byte[]> {
    final CompletableFuture<ConnectResponse> done = new CompletableFuture<>();
    private final Map<String, List<String>> headers = new LinkedHashMap<>();
    private byte[] message;

    @Override
    public void onHeaders(Metadata responseHeaders) {
      headers.putAll(ConnectTrailers.toHeaders(responseHeaders));
    }

    @Override
    public void onMessage(byte[] m) {
      message = m;
    }

    @Override
    public void onClose(Status status, Metadata trailers) {
      headers.putAll(ConnectTrailers.toHeaders(trailers));
      if (status.isOk() && message != null) {
        done.complete(new ConnectResponse(200, PROTO, message, headers));
      } else if (status.isOk()) {
        done.complete(
            ConnectResponse.error(Status.Code.INTERNAL, "the service sent no answer", headers));
      } else {
        done.complete(ConnectResponse.error(status.getCode(), status.getDescription(), headers));
      }
    }
  }

  /** Passes messages as the bytes they are. */
  private static final class BytesMarshaller implements MethodDescriptor.Marshaller<byte[]> {
    @Override
    public InputStream stream(byte[] value) {
      return new ByteArrayInputStream(value);
    }

    @Override
    public byte[] parse(InputStream stream) {
      try {
        return stream.readAllBytes(); // gRPC bounded the message (maxInboundMessageSize)
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** Ends the channel and the in-process server; calls still running are cancelled. */
  @Override
  public void close() {
    channel.shutdownNow();
    server.shutdownNow();
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
