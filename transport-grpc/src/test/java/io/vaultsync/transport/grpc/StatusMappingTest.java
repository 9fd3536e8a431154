package io.vaultsync.transport.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.vaultsync.core.hash.ContentHash;
import io.vaultsync.model.tree.NotePath;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.FeedGapException;
import io.vaultsync.protocol.InvalidRequestException;
import io.vaultsync.protocol.NotFoundException;
import io.vaultsync.protocol.RemoteEntry;
import io.vaultsync.protocol.RemoteUnavailableException;
import io.vaultsync.protocol.StaleVersionException;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import org.junit.jupiter.api.Test;

class StatusMappingTest {
  static final ContentHash BASE = ContentHash.digestOf("base".getBytes());
  static final RemoteEntry CURRENT =
      new RemoteEntry(NotePath.of("a.md"), ContentHash.digestOf("now".getBytes()), 3, 7);

  /** Server side then client side, as a call would. */
  static IOException roundTrip(Throwable thrown) {
    StatusRuntimeException wire = ToStatus.of(thrown);
    // What the client gets: status and trailers, not the server's exception object.
    StatusRuntimeException received =
        wire.getStatus().withCause(null).asRuntimeException(wire.getTrailers());
    return FromStatus.toException(received, "notes", "a.md", BASE);
  }

  @Test
  void staleVersionCarriesTheCurrentEntryInATrailer() {
    StatusRuntimeException wire =
        ToStatus.of(new StaleVersionException("notes", "a.md", BASE, CURRENT));

    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.ABORTED);
    assertThat(wire.getTrailers().containsKey(StatusMapping.CURRENT_KEY)).isTrue();
    assertThat(roundTrip(new StaleVersionException("notes", "a.md", BASE, CURRENT)))
        .isInstanceOfSatisfying(
            StaleVersionException.class, e -> assertThat(e.current()).isEqualTo(CURRENT))
        .hasMessageContaining(BASE.hex());
  }

  @Test
  void massDeleteRefusalIsFailedPreconditionWithCountsAndLimitsInATrailer() {
    var refused =
        new io.vaultsync.protocol.MassDeleteRefusedException(
            "notes", 250, 1000, new io.vaultsync.protocol.DeleteLimits(100, 20, 5));
    StatusRuntimeException wire = ToStatus.of(refused);

    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(wire.getTrailers().get(StatusMapping.MASS_DELETE_KEY))
        .isEqualTo("deletes=250;files=1000;maxFiles=100;maxPercent=20;percentFloor=5");
    assertThat(roundTrip(refused))
        .isInstanceOfSatisfying(
            io.vaultsync.protocol.MassDeleteRefusedException.class,
            e -> {
              assertThat(e.deletes()).isEqualTo(250);
              assertThat(e.files()).isEqualTo(1000);
              assertThat(e.limits()).isEqualTo(new io.vaultsync.protocol.DeleteLimits(100, 20, 5));
            })
        .hasMessageContaining("250 of 1000 files (25%)")
        .hasMessageContaining("--allow-mass-delete");
  }

  /** Issue 12: a push refused for its path comes back with the path and reason. */
  @Test
  void pathRefusalIsFailedPreconditionWithPathAndReasonInATrailer() {
    var refused =
        new io.vaultsync.protocol.PathRefusedException(
            "notes", "Caf\u00e9/x.md", "\"Caf\u00e9\" is a file on the server");
    StatusRuntimeException wire = ToStatus.of(refused);

    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
    assertThat(roundTrip(refused))
        .isInstanceOfSatisfying(
            io.vaultsync.protocol.PathRefusedException.class,
            e -> {
              assertThat(e.path()).isEqualTo("Caf\u00e9/x.md");
              assertThat(e.reason()).isEqualTo("\"Caf\u00e9\" is a file on the server");
            });
  }

  @Test
  void limitRefusalsAreResourceExhaustedWithTheirValuesInATrailer() {
    var tooLarge =
        new io.vaultsync.protocol.FileTooLargeException("notes", "Film ü.mp4", 3L << 20, 2L << 20);
    StatusRuntimeException wire = ToStatus.of(tooLarge);
    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(roundTrip(tooLarge))
        .isInstanceOfSatisfying(
            io.vaultsync.protocol.FileTooLargeException.class,
            e -> {
              assertThat(e.path()).isEqualTo("Film ü.mp4");
              assertThat(e.reached()).isEqualTo(3L << 20);
              assertThat(e.limit()).isEqualTo(2L << 20);
            })
        .hasMessageContaining("\"Film ü.mp4\" in vault notes")
        .hasMessageContaining("2.0 MiB (2,097,152 bytes)");

    var quota = new io.vaultsync.protocol.QuotaExceededException("notes", 90, 20, 100);
    assertThat(roundTrip(quota))
        .isInstanceOfSatisfying(
            io.vaultsync.protocol.QuotaExceededException.class,
            e -> {
              assertThat(e.usage()).isEqualTo(90);
              assertThat(e.adding()).isEqualTo(20);
              assertThat(e.quota()).isEqualTo(100);
            })
        .hasMessageContaining("vault notes would go over its storage quota");

    // A message over the size limit (no trailer) and a trailer that says nothing stay requests
    // the server refused as malformed.
    assertThat(
            FromStatus.toException(
                Status.RESOURCE_EXHAUSTED.withDescription("too big").asRuntimeException(),
                "notes",
                null,
                null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("too big");
    Metadata empty = new Metadata();
    empty.put(
        StatusMapping.LIMIT_KEY, io.vaultsync.transport.grpc.v1.LimitRefusal.getDefaultInstance());
    assertThat(
            FromStatus.toException(
                Status.RESOURCE_EXHAUSTED.withDescription("x").asRuntimeException(empty),
                "notes",
                null,
                null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("malformed vaultsync-limit-bin trailer");
  }

  @Test
  void failedPreconditionWithAMalformedOrNoMassDeleteTrailerIsAnInvalidRequest() {
    Metadata trailers = new Metadata();
    trailers.put(StatusMapping.MASS_DELETE_KEY, "deletes=x;files=-1");
    StatusRuntimeException bad =
        Status.FAILED_PRECONDITION.withDescription("no").asRuntimeException(trailers);
    assertThat(FromStatus.toException(bad, "notes", null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("malformed vaultsync-mass-delete trailer");
    StatusRuntimeException plain =
        Status.FAILED_PRECONDITION.withDescription("other").asRuntimeException();
    assertThat(FromStatus.toException(plain, "notes", null, null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("other");
  }

  @Test
  void feedGapTravelsAsOutOfRangeAndComesBackAsAFeedGapOfTheSubscribedSeq() {
    StatusRuntimeException wire =
        ToStatus.of(new FeedGapException("notes", 17, "the ledger continues at 40"));
    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);

    IOException back = FromStatus.toSubscribeException(wire, "notes", 17);
    assertThat(back).isInstanceOf(FeedGapException.class).hasMessageContaining("continues at 40");
    assertThat(((FeedGapException) back).afterSeq()).isEqualTo(17);
    assertThat(FromStatus.toSubscribeException(Status.CANCELLED.asRuntimeException(), "n", 1))
        .isInstanceOf(RemoteUnavailableException.class);
  }

  @Test
  void staleVersionOfAMissingPathHasNoTrailerAndNullCurrent() {
    StatusRuntimeException wire =
        ToStatus.of(new StaleVersionException("notes", "a.md", BASE, null));

    assertThat(wire.getTrailers().containsKey(StatusMapping.CURRENT_KEY)).isFalse();
    assertThat(roundTrip(new StaleVersionException("notes", "a.md", BASE, null)))
        .isInstanceOfSatisfying(StaleVersionException.class, e -> assertThat(e.current()).isNull());
  }

  @Test
  void malformedStaleTrailerIsAnIOExceptionNotACrash() {
    Metadata trailers = new Metadata();
    trailers.put(
        StatusMapping.CURRENT_KEY,
        io.vaultsync.transport.grpc.v1.RemoteEntry.newBuilder().setPath("../x").build());

    IOException e =
        FromStatus.toException(Status.ABORTED.asRuntimeException(trailers), "notes", "a.md", BASE);

    assertThat(e).isNotInstanceOf(StaleVersionException.class).hasMessageContaining("trailer");
  }

  @Test
  void notFoundInvalidAndAuthenticationMapBothWays() {
    assertThat(roundTrip(new NotFoundException("no vault \"x\"")))
        .isInstanceOf(NotFoundException.class)
        .hasMessage("no vault \"x\"");
    assertThat(roundTrip(new IllegalArgumentException("path \"../a\" is bad")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("path \"../a\" is bad");
    assertThat(roundTrip(new io.vaultsync.core.format.TruncatedInputException("ended at 3")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("ended at 3");
    assertThat(roundTrip(new RejectedExecutionException("full")))
        .isInstanceOf(RemoteUnavailableException.class);
    assertThat(
            FromStatus.toException(
                Status.UNAUTHENTICATED.withDescription("no").asRuntimeException(),
                null,
                null,
                null))
        .isInstanceOf(AuthenticationException.class);
    assertThat(
            FromStatus.toException(Status.DEADLINE_EXCEEDED.asRuntimeException(), null, null, null))
        .isInstanceOf(RemoteUnavailableException.class);
    assertThat(
            FromStatus.toException(
                Status.RESOURCE_EXHAUSTED.withDescription("too big").asRuntimeException(),
                null,
                null,
                null))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("RESOURCE_EXHAUSTED");
  }

  @Test
  void duplicateVaultFromCreateVaultIsAlreadyExists() {
    StatusRuntimeException wire =
        ToStatus.ofCreateVault(new IllegalStateException("vault \"a\" exists"));

    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.ALREADY_EXISTS);
    assertThat(FromStatus.toException(wire, "a", null, null))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void unexpectedErrorsAreInternalWithoutTheirMessage() {
    StatusRuntimeException wire =
        ToStatus.of(new NullPointerException("secret detail /home/user/notes"));

    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(wire.getStatus().getDescription())
        .doesNotContain("secret")
        .startsWith("internal server error (incident ");
    assertThat(wire.getStatus().getCause()).isNull();
  }

  /** Issue 12, item 12: a full server disk reached the client as "INTERNAL ... (incident ...)". */
  @Test
  void aFullServerDiskIsAServerStorageExceptionThatSaysSoWithoutTheServersPaths() {
    IOException full =
        new IOException(
            "writing pack",
            new java.nio.file.FileSystemException(
                "/srv/vaultsync/store/packs/.vstmp-1.pack", null, "No space left on device"));
    StatusRuntimeException wire = ToStatus.of(full);

    assertThat(wire.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(roundTrip(full))
        .isInstanceOf(io.vaultsync.protocol.ServerStorageException.class)
        .hasMessageContaining("the server's disk is full")
        .hasMessageContaining("no space left on device")
        .hasMessageContaining("nothing of this call was stored")
        .hasMessageNotContaining("/srv/vaultsync")
        .hasMessageNotContaining("incident");
  }

  @Test
  void aFullSqliteDatabaseIsAServerStorageExceptionToo() {
    IOException full =
        new IOException(
            new java.sql.SQLException(
                "[SQLITE_FULL] Insertion failed because database is full (database or disk is"
                    + " full)"));
    assertThat(roundTrip(full))
        .isInstanceOf(io.vaultsync.protocol.ServerStorageException.class)
        .hasMessageContaining("database or disk is full");
  }

  @Test
  void resourceExhaustedWithoutTheStorageTrailerStaysAnInvalidRequest() {
    StatusRuntimeException tooLarge =
        Status.RESOURCE_EXHAUSTED.withDescription("message too large").asRuntimeException();
    assertThat(FromStatus.toException(tooLarge, "notes", null, null))
        .isInstanceOf(InvalidRequestException.class);
  }
}
