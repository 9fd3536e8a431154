package io.vaultsync.client.cli;

import io.vaultsync.client.state.VaultConfig;
import java.io.IOException;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code init} and {@code clone}: set a folder up as a new replica of a vault, with a device token
 * (never on the command line unless asked: {@link TokenSource}) and a device name of its own.
 */
abstract class SetupCommand extends VaultCommand {
  @Mixin TokenSource tokenSource;

  @Option(names = "--device", paramLabel = "NAME", description = "This device's name.")
  String device;

  @Option(names = "--json", description = "Print the summary as one line of JSON.")
  boolean json;

  /** The token given (a file, standard input, the environment or the command line). */
  String token() throws IOException {
    return tokenSource.read(root);
  }

  /** The new replica's settings: {@code server}'s URL checked, the device named. */
  VaultConfig config(String server, String vault) {
    return newConfig(server, vault, device);
  }
}
