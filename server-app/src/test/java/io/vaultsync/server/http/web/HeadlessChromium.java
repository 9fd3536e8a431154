package io.vaultsync.server.http.web;

import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's chromium driven through Debian's chromedriver, headless, with the flags this machine's
 * closed network needs (no background networking, no component updates, no sync, no QUIC) and a new
 * empty profile per browser, so each one is a fresh context without cookies.
 *
 * <p>Both executables are given explicitly, so Selenium Manager never runs (it would try to
 * download a driver). When they are missing the test is skipped locally with a message, but fails
 * on CI ({@code CI=true}), where {@code .ci/run} installs them first.
 */
final class HeadlessChromium {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

  /**
   * Held so the setting stays: Selenium warns on every start that it has no DevTools (CDP) classes
   * for this chromium's version; the tests use only WebDriver, never CDP.
   */
  private static final Logger CDP_LOG = Logger.getLogger("org.openqa.selenium.devtools");

  static {
    CDP_LOG.setLevel(Level.SEVERE);
  }

  private HeadlessChromium() {}

  /** Skips (locally) or fails (on CI) unless chromium and chromedriver are installed. */
  static void requireInstalled() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    if (present) {
      return;
    }
    String message =
        "the browser test needs Debian's chromium and chromium-driver ("
            + CHROMIUM
            + ", "
            + CHROMEDRIVER
            + "): apt-get install -y chromium chromium-driver";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail("CI=true and " + message);
    }
    assumeTrue(false, "skipped: " + message);
  }

  /**
   * A new headless browser with an empty profile in {@code profile} that saves downloads into
   * {@code downloads} without asking.
   */
  static ChromeDriver start(Path profile, Path downloads) throws IOException {
    requireInstalled();
    Files.createDirectories(profile);
    Files.createDirectories(downloads);
    // Belt and braces: the explicit service and binary already keep Selenium Manager away.
    System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-dev-shm-usage",
        "--window-size=1280,1000",
        "--user-data-dir=" + profile.toAbsolutePath());
    options.setExperimentalOption(
        "prefs",
        Map.of(
            "download.default_directory", downloads.toAbsolutePath().toString(),
            "download.prompt_for_download", false,
            "safebrowsing.enabled", false));
    ChromeDriverService service =
        new ChromeDriverService.Builder()
            .usingDriverExecutable(CHROMEDRIVER.toFile())
            .usingAnyFreePort()
            .withTimeout(Duration.ofSeconds(20))
            .build();
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(15));
    return driver;
  }
}
