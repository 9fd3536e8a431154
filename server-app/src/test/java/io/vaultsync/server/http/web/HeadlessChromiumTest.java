package io.vaultsync.server.http.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The browser set-up alone, against a two-page site on loopback: when this fails, the web page's
 * end-to-end test would fail for the same reason (no chromium, a driver that does not match it, a
 * flag this machine's network needs), not because of the pages.
 */
class HeadlessChromiumTest {
  @TempDir Path dir;

  @Test
  void headlessChromiumFollowsALinkOnALoopbackPage() throws Exception {
    HeadlessChromium.requireInstalled();
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              exchange.getRequestURI().getPath().equals("/next")
                  ? "<!doctype html><title>next</title><h1 id=h>arrived</h1>"
                  : "<!doctype html><title>start</title><a id=go href=/next>go</a>";
          byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
          exchange.sendResponseHeaders(200, bytes.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
          }
        });
    server.start();
    ChromeDriver browser = HeadlessChromium.start(dir.resolve("profile"), dir.resolve("dl"));
    try {
      browser.get("http://127.0.0.1:" + server.getAddress().getPort() + "/");
      browser.findElement(By.id("go")).click();
      new WebDriverWait(browser, Duration.ofSeconds(10))
          .until(ExpectedConditions.textToBe(By.id("h"), "arrived"));
      assertThat(browser.getTitle()).isEqualTo("next");
    } finally {
      browser.quit();
      server.stop(0);
    }
  }
}
