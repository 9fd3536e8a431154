package io.vaultsync.transport.grpc.connect;

import io.grpc.Attributes;
import io.grpc.CallCredentials;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.SecurityLevel;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * A gRPC {@link Channel} whose unary calls travel as Connect unary requests over HTTP/1.1 ({@link
 * HttpClient}), so every piece of the gRPC client (stubs, call credentials, deadlines, the mapping
 * of a status and its trailers to the protocol's exceptions) serves the browser face unchanged. An
 * error answer becomes the status its JSON names, with the trailers its {@code trailer-*} headers
 * carry; a connection failure UNAVAILABLE with the I/O exception as cause; a deadline
 * DEADLINE_EXCEEDED. A streaming call fails with UNIMPLEMENTED without a request. Metadata keys
 * starting with {@code vaultsync-} travel as request headers ({@code Vaultsync-Upload}).
 */
final class ConnectChannel extends Channel {
  /** Extra time the HTTP client waits beyond the call's deadline for the server's own answer. */
  static final Duration GRACE = Duration.ofSeconds(5);

  private final HttpClient http;
  private final URI base;
  private final Executor executor;

  ConnectChannel(HttpClient http, URI base, Executor executor) {
    this.http = http;
    this.base = base;
    this.executor = executor;
  }

  @Override
  public <Q, R> ClientCall<Q, R> newCall(MethodDescriptor<Q, R> method, CallOptions options) {
    return new Call<>(method, options);
  }

  @Override
  public String authority() {
    return base.getAuthority();
  }

  private final class Call<Q, R> extends ClientCall<Q, R> {
    private final MethodDescriptor<Q, R> method;
    private final CallOptions options;
    private Listener<R> listener;
    private Metadata headers;
    private byte[] body;
    private volatile CompletableFuture<?> exchange;
    private volatile boolean closed;

    Call(MethodDescriptor<Q, R> method, CallOptions options) {
      this.method = method;
      this.options = options;
    }

    @Override
    public void start(Listener<R> responseListener, Metadata requestHeaders) {
      this.listener = responseListener;
      this.headers = new Metadata();
      this.headers.merge(requestHeaders);
      // A cancelled context (a closed subscription) cancels the call, as gRPC's channels do.
      Context context = Context.current();
      context.addListener(
          c -> cancel("the call's context was cancelled", c.cancellationCause()), Runnable::run);
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void sendMessage(Q message) {
      try (InputStream in = method.streamRequest(message)) {
        body = in.readAllBytes();
      } catch (IOException e) {
        finish(Status.INTERNAL.withDescription("cannot encode the request").withCause(e), null);
      }
    }

    @Override
    public void halfClose() {
      if (closed) {
        return;
      }
      if (method.getType() != MethodDescriptor.MethodType.UNARY) {
        finish(
            Status.UNIMPLEMENTED.withDescription(
                method.getBareMethodName() + " streams; the HTTP face has unary calls only"),
            null);
        return;
      }
      CallCredentials credentials = options.getCredentials();
      if (credentials == null) {
        send();
        return;
      }
      credentials.applyRequestMetadata(
          requestInfo(),
          Runnable::run,
          new CallCredentials.MetadataApplier() {
            @Override
            public void apply(Metadata more) {
              headers.merge(more);
              send();
            }

            @Override
            public void fail(Status status) {
              finish(status, null);
            }
          });
    }

    private CallCredentials.RequestInfo requestInfo() {
      return new CallCredentials.RequestInfo() {
        @Override
        public MethodDescriptor<?, ?> getMethodDescriptor() {
          return method;
        }

        @Override
        public SecurityLevel getSecurityLevel() {
          return "https".equals(base.getScheme())
              ? SecurityLevel.PRIVACY_AND_INTEGRITY
              : SecurityLevel.NONE;
        }

        @Override
        public String getAuthority() {
          return base.getAuthority();
        }

        @Override
        public Attributes getTransportAttrs() {
          return Attributes.EMPTY;
        }
      };
    }

    private void send() {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(base.resolve(method.getFullMethodName()))
              .header("Content-Type", ConnectBridge.PROTO)
              .header("Connect-Protocol-Version", ConnectBridge.PROTOCOL_VERSION)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body == null ? new byte[0] : body));
      for (String key : headers.keys()) {
        if ((key.equals("authorization") || key.startsWith("vaultsync-"))
            && !key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
          for (String v : headers.getAll(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER))) {
            request.header(key, v);
          }
        }
      }
      Deadline deadline = options.getDeadline();
      if (deadline != null) {
        long millis = Math.max(1, deadline.timeRemaining(TimeUnit.MILLISECONDS));
        request.header("Connect-Timeout-Ms", Long.toString(millis));
        request.timeout(Duration.ofMillis(millis).plus(GRACE));
      }
      CompletableFuture<HttpResponse<InputStream>> sent =
          http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream());
      exchange = sent;
      sent.handleAsync(
          (response, failure) -> {
            if (failure != null) {
              finish(failed(failure), null);
            } else {
              answer(response);
            }
            return null;
          },
          executor);
    }

    private void answer(HttpResponse<InputStream> response) {
      byte[] bytes;
      try (InputStream in = response.body()) {
        bytes = in.readNBytes(ConnectBridge.MAX_ANSWER_BYTES + 1);
      } catch (IOException e) {
        finish(Status.UNAVAILABLE.withDescription("reading the answer failed").withCause(e), null);
        return;
      }
      if (closed) {
        return;
      }
      Map<String, List<String>> fields = response.headers().map();
      Metadata trailers = ConnectTrailers.fromHeaders(fields);
      if (bytes.length > ConnectBridge.MAX_ANSWER_BYTES) {
        deliver(
            null,
            Status.RESOURCE_EXHAUSTED.withDescription(
                "an answer over " + ConnectBridge.MAX_ANSWER_BYTES + " bytes"),
            trailers);
        return;
      }
      String type =
          response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
      if (response.statusCode() == 200 && type.startsWith(ConnectBridge.PROTO)) {
        R message;
        try {
          message = method.parseResponse(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
          deliver(null, Status.INTERNAL.withDescription("malformed answer").withCause(e), trailers);
          return;
        }
        deliver(message, Status.OK, trailers);
        return;
      }
      Status status = type.startsWith(ConnectBridge.JSON) ? ConnectErrorJson.read(bytes) : null;
      if (status == null) {
        status =
            Status.fromCode(ConnectCodes.fromHttpStatus(response.statusCode()))
                .withDescription("HTTP " + response.statusCode() + " from " + base);
      }
      deliver(null, status, trailers);
    }

    private Status failed(Throwable failure) {
      Throwable t =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      if (t instanceof HttpConnectTimeoutException) {
        return Status.UNAVAILABLE
            .withDescription("cannot connect to " + base)
            .withCause(new java.net.ConnectException("connect timed out"));
      }
      if (t instanceof HttpTimeoutException) {
        return Status.DEADLINE_EXCEEDED.withDescription("no answer within the deadline");
      }
      if (t instanceof java.util.concurrent.CancellationException) {
        return Status.CANCELLED.withDescription("cancelled");
      }
      return Status.UNAVAILABLE.withDescription(String.valueOf(t.getMessage())).withCause(t);
    }

    /** Ends the call with {@code status}, without an answer from the server. */
    private void finish(Status status, Metadata trailers) {
      end(false, null, status, trailers);
    }

    /** Ends the call with the server's answer: {@code message} (null: none) and {@code status}. */
    private void deliver(R message, Status status, Metadata trailers) {
      end(true, message, status, trailers);
    }

    /**
     * Tells the listener, once, on the call's executor: a blocking stub waits for its callbacks on
     * a {@code ThreadlessExecutor} of its own thread, and would never wake up otherwise.
     */
    private void end(boolean answered, R message, Status status, Metadata trailers) {
      synchronized (this) {
        if (closed) {
          return;
        }
        closed = true;
      }
      Executor callbacks = options.getExecutor() != null ? options.getExecutor() : executor;
      Metadata t = trailers == null ? new Metadata() : trailers;
      callbacks.execute(
          () -> {
            if (answered) {
              listener.onHeaders(new Metadata()); // the server was reached
            }
            if (message != null) {
              listener.onMessage(message);
            }
            listener.onClose(status, t);
          });
    }

    @Override
    public void cancel(String message, Throwable cause) {
      CompletableFuture<?> e = exchange;
      if (e != null) {
        e.cancel(true);
      }
      finish(Status.CANCELLED.withDescription(message).withCause(cause), null);
    }

    @Override
    public boolean isReady() {
      return !closed;
    }
  }
}
