package io.vaultsync.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.lang.module.ModuleDescriptor;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The module's boundary: what an app on the module path sees. Every package is either exported (the
 * API) or internal, so a new package is a decision, not an accident.
 */
class ModuleBoundaryTest {
  private static final Set<String> API =
      Set.of(
          "io.vaultsync.core",
          "io.vaultsync.core.delta",
          "io.vaultsync.core.format",
          "io.vaultsync.core.hash",
          "io.vaultsync.core.io",
          "io.vaultsync.core.signature");

  /** The folder (or jar) the engine's classes were loaded from. */
  private static Path classes() throws URISyntaxException {
    return Path.of(Deltas.class.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private static ModuleDescriptor descriptor() throws IOException, URISyntaxException {
    try (InputStream in = Files.newInputStream(classes().resolve("module-info.class"))) {
      return ModuleDescriptor.read(in);
    }
  }

  @Test
  void exportsExactlyTheApiPackages() throws IOException, URISyntaxException {
    ModuleDescriptor d = descriptor();
    assertThat(d.name()).isEqualTo("io.vaultsync.delta");
    Set<String> exported =
        d.exports().stream()
            .filter(e -> !e.isQualified())
            .map(ModuleDescriptor.Exports::source)
            .collect(Collectors.toSet());
    assertThat(exported).isEqualTo(API);
  }

  @Test
  void everyPackageOfTheEngineIsApiOrInternal() throws IOException, URISyntaxException {
    Path classes =
        Path.of(Deltas.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Set<String> packages = new TreeSet<>();
    try (Stream<Path> s = Files.walk(classes)) {
      s.filter(p -> p.toString().endsWith(".class") && !p.endsWith("module-info.class"))
          .forEach(
              p -> packages.add(classes.relativize(p.getParent()).toString().replace('/', '.')));
    }
    Set<String> notApi = new TreeSet<>(packages);
    notApi.removeAll(API);
    assertThat(notApi).containsExactly("io.vaultsync.core.internal");
  }
}
