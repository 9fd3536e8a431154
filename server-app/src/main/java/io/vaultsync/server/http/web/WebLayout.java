package io.vaultsync.server.http.web;

import io.vaultsync.server.http.CsrfTokens;

/**
 * The frame of every owner page: doctype, title, stylesheet, a header naming the signed-in device
 * with a sign-out button (its form carries the CSRF token like every other form), and the body.
 */
final class WebLayout {
  private WebLayout() {}

  /** A whole page around {@code body} (markup built by an {@link HtmlWriter}). */
  static String page(String title, String device, String csrf, String body) {
    HtmlWriter h = new HtmlWriter();
    h.raw("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>")
        .text(title)
        .raw(" · vaultsync</title>")
        .raw("<link rel=\"stylesheet\" href=\"" + WebStyle.PATH + "\"></head><body>\n<header>")
        .raw("<a href=\"/\" id=\"home\">vaultsync</a><span id=\"device\">")
        .text(device)
        .raw("</span><form method=\"post\" action=\"/logout\">")
        .hidden(CsrfTokens.FIELD, csrf)
        .raw("<button type=\"submit\" id=\"logout\">Sign out</button></form></header>\n<main>\n")
        .raw(body)
        .raw("\n</main></body></html>\n");
    return h.toString();
  }
}
