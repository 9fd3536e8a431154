package io.vaultsync.server.http.web;

/**
 * The pages' one stylesheet, served at {@link #PATH}: the content security policy allows styles
 * only from this origin (no inline {@code style}), and the pages need no script at all.
 */
final class WebStyle {
  /** Where the stylesheet is served. */
  static final String PATH = "/web.css";

  static final String CSS =
      """
      body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#fafafa}
      header{background:#24292f;color:#fff;padding:.5em 1em;display:flex;gap:1em;align-items:center}
      header a{color:#fff;font-weight:600;text-decoration:none}
      header form{margin-left:auto}
      main{max-width:60em;margin:1em auto;padding:0 1em}
      nav.crumbs{margin:.5em 0 1em}
      table{border-collapse:collapse;width:100%;background:#fff}
      th,td{text-align:left;padding:.3em .6em;border-bottom:1px solid #ddd;vertical-align:top}
      td.num,th.num{text-align:right;white-space:nowrap}
      .note{background:#fff;border:1px solid #ddd;padding:.5em 1.5em;margin:1em 0;overflow-wrap:anywhere}
      .note pre{overflow-x:auto;background:#f3f3f3;padding:.5em}
      .notice{background:#fff8c5;border:1px solid #d4a72c;padding:.5em 1em}
      .error{background:#ffebe9;border:1px solid #cf222e;padding:.5em 1em}
      .actions{display:flex;gap:1em;flex-wrap:wrap;margin:.5em 0}
      form.inline{display:inline}
      input[type=text].url{width:100%;font-family:monospace}
      fieldset{border:1px solid #ddd;background:#fff}
      """;

  private WebStyle() {}
}
