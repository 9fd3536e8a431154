package io.vaultsync.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vaultsync.client.sync.ChangedMeanwhileException;
import io.vaultsync.protocol.AuthenticationException;
import io.vaultsync.protocol.RemoteUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import org.junit.jupiter.api.Test;

/** The common failures say what went wrong, where, and what to do. */
class ErrorMessagesTest {
  private static final URI SERVER = URI.create("https://notes.example:8443");

  @Test
  void unreachableServerNamesTheUrlAndSaysToCheckThatItRuns() {
    String m =
        ErrorMessages.describe(new RemoteUnavailableException("UNAVAILABLE: io exception"), SERVER);
    assertThat(m)
        .contains("https://notes.example:8443")
        .contains("UNAVAILABLE: io exception")
        .contains("check that the server runs");
  }

  @Test
  void aServerUrlWithoutSchemeSaysWhatAUrlLooksLike() {
    assertThatThrownBy(() -> VaultCommand.serverUri("127.0.0.1:7420"))
        .hasMessageStartingWith("server URL \"127.0.0.1:7420\" is malformed (")
        .hasMessageEndingWith("expected e.g. http://127.0.0.1:7420 or https://host:8443");
  }

  @Test
  void refusedTokenSaysHowToCreateOne() {
    String m =
        ErrorMessages.describe(
            new UncheckedIOException(
                new AuthenticationException("missing or invalid device token")),
            SERVER);
    assertThat(m)
        .contains("https://notes.example:8443")
        .contains("refused the token")
        .contains("vaultsync server token create");
  }

  @Test
  void aLostConnectionSaysHowFarTheCommandGotAndToRunItAgain() {
    String m =
        ErrorMessages.describe(
            new io.vaultsync.protocol.ConnectionLostException(
                "downloading 300 files", "UNAVAILABLE: Network closed for unknown reason"),
            SERVER,
            new ErrorMessages.During("clone", 600, 1_234_567));
    assertThat(m)
        .isEqualTo(
            "the connection to the server https://notes.example:8443 was lost during the clone,"
                + " after 1.2 MB received, while downloading 300 files (UNAVAILABLE: Network closed"
                + " for unknown reason): the server stopped or the network dropped; run the command"
                + " again to resume");
  }

  @Test
  void aStalledServerSaysHowLongItWasSilentAndWhatToCheck() {
    String m =
        ErrorMessages.describe(
            new io.vaultsync.protocol.RemoteStalledException(
                "reading the file list of vault notes", java.time.Duration.ofSeconds(30)),
            SERVER,
            new ErrorMessages.During("sync", 0, 0));
    assertThat(m)
        .isEqualTo(
            "the server https://notes.example:8443 stopped answering during the sync: nothing for"
                + " 30 s while reading the file list of vault notes; check the server and the"
                + " network, then run the command again");
  }

  @Test
  void anUploadCutMidwaySaysHowMuchWasSent() {
    assertThat(new ErrorMessages.During("sync", 3_400_000, 8).text())
        .isEqualTo(" during the sync, after 3.4 MB sent");
    assertThat(new ErrorMessages.During("sync", 3_400_000, 12_000).text())
        .isEqualTo(" during the sync, after 3.4 MB sent and 12.0 KB received");
  }

  @Test
  void withoutAServerTheMessageStillReads() {
    assertThat(ErrorMessages.describe(new RemoteUnavailableException("UNAVAILABLE: x")))
        .startsWith("cannot reach the server (UNAVAILABLE: x)");
  }

  @Test
  void permissionDeniedNamesTheFileAndWhatToCheck() {
    assertThat(ErrorMessages.describe(new AccessDeniedException("/v/a.md")))
        .isEqualTo(
            "permission denied: /v/a.md: check that you own the file and may write its folder"
                + " (ls -l)");
  }

  @Test
  void diskFullNamesTheFileAndSaysToFreeSpace() {
    assertThat(
            ErrorMessages.describe(
                new FileSystemException("/v/big.pdf", null, "No space left on device")))
        .startsWith("disk full writing /v/big.pdf: free some space");
    assertThat(ErrorMessages.describe(new IOException("No space left on device")))
        .startsWith("disk full: free some space");
  }

  @Test
  void fileChangedWhileReadSaysToRunAgain() {
    assertThat(ErrorMessages.describe(new ChangedMeanwhileException("a.md changed meanwhile")))
        .isEqualTo(
            "a.md changed meanwhile (a file changed while being read; run the command again)");
  }

  @Test
  void aFullServerDiskIsTheServersNotOurs() {
    String m =
        ErrorMessages.describe(
            new io.vaultsync.protocol.ServerStorageException(
                "the server's disk is full (no space left on device); nothing of this call was"
                    + " stored: ask the server's operator to free space, then run the command"
                    + " again"),
            SERVER);
    assertThat(m).startsWith("the server's disk is full").doesNotContain("free some space and");
  }
}
