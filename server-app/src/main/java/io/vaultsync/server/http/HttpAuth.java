package io.vaultsync.server.http;

import io.javalin.http.Context;
import io.javalin.http.ForbiddenResponse;
import io.javalin.http.HandlerType;
import io.javalin.http.UnauthorizedResponse;
import io.vaultsync.server.auth.DeviceTokens;
import io.vaultsync.server.auth.TokenInfo;
import io.vaultsync.server.auth.TokenStore;
import java.io.IOException;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Who is calling: a device, by its token ({@code Authorization: Bearer TOKEN}, for scripts and
 * curl) or by a session cookie set at {@code /login} (for browsers). A session ends when it
 * expires, at {@code /logout}, or when the device's token is revoked.
 *
 * <p>The cookie is {@code HttpOnly; SameSite=Strict} (and {@code Secure} over TLS), so other sites
 * can neither read it nor make a browser send it; as a second guard a request that changes
 * something (not GET/HEAD) authenticated by the cookie must not come from another origin.
 */
public final class HttpAuth {
  /** The session cookie's name. */
  public static final String SESSION_COOKIE = "vaultsync_session";

  private final TokenStore tokens;
  private final HttpState state;
  private final Sessions sessions;
  private final boolean secureCookies;

  /**
   * @param state the sessions, CSRF key and attempt limits (of this process, or shared by several)
   * @param secureCookies whether cookies get {@code Secure} (the endpoint serves TLS)
   */
  public HttpAuth(TokenStore tokens, HttpState state, boolean secureCookies) {
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.state = Objects.requireNonNull(state, "state");
    this.sessions = state.sessions();
    this.secureCookies = secureCookies;
  }

  /**
   * The calling device, or empty if the request carries neither a bearer token nor a session cookie
   * (or the cookie's session is gone).
   *
   * @throws UnauthorizedResponse if a bearer token is given but malformed, unknown or revoked
   */
  public Optional<String> device(Context ctx) throws IOException {
    String authorization = ctx.header("Authorization");
    if (authorization != null) {
      if (!authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
        throw new UnauthorizedResponse("Authorization must be \"Bearer TOKEN\"");
      }
      String token = authorization.substring(7).trim();
      if (token.isEmpty() || token.length() > DeviceTokens.MAX_TOKEN_CHARS) {
        throw new UnauthorizedResponse("unknown or revoked device token");
      }
      return Optional.of(
          tokens
              .deviceFor(token)
              .orElseThrow(() -> new UnauthorizedResponse("unknown or revoked device token")));
    }
    String cookie = ctx.cookie(SESSION_COOKIE);
    if (cookie == null) {
      return Optional.empty();
    }
    Optional<Sessions.Session> session = sessions.find(cookie);
    if (session.isEmpty() || !tokenStillValid(session.get())) {
      sessions.end(cookie);
      return Optional.empty();
    }
    if (!safeMethod(ctx) && !sameOrigin(ctx)) {
      throw new ForbiddenResponse("cross-origin request refused");
    }
    return Optional.of(session.get().device());
  }

  /**
   * The calling device.
   *
   * @throws UnauthorizedResponse (401) if the request is not authenticated
   */
  public String requireDevice(Context ctx) throws IOException {
    return device(ctx)
        .orElseThrow(
            () ->
                new UnauthorizedResponse(
                    "a device token is required: send \"Authorization: Bearer TOKEN\" or sign in"
                        + " at /login"));
  }

  /**
   * Checks a device token typed into the login form and starts a session; returns the session id,
   * or empty if the token is unknown or revoked.
   */
  public Optional<String> login(String token) throws IOException {
    if (token == null) {
      return Optional.empty();
    }
    token = token.trim();
    if (token.isEmpty() || token.length() > DeviceTokens.MAX_TOKEN_CHARS) {
      return Optional.empty();
    }
    Optional<String> device = tokens.deviceFor(token);
    if (device.isEmpty()) {
      return Optional.empty();
    }
    Optional<TokenInfo> info =
        tokens.list().stream().filter(t -> t.device().equals(device.get())).findFirst();
    if (info.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(sessions.create(device.get(), info.get().created()));
  }

  /** Sets the session cookie for {@code sessionId} on the response. */
  public void setSessionCookie(Context ctx, String sessionId) {
    ctx.res()
        .addHeader(
            "Set-Cookie",
            SESSION_COOKIE
                + "="
                + sessionId
                + "; Path=/; Max-Age="
                + Sessions.LIFETIME.toSeconds()
                + "; HttpOnly; SameSite=Strict"
                + (secureCookies ? "; Secure" : ""));
  }

  /** Ends the request's session (if any) and clears its cookie. */
  public void logout(Context ctx) {
    sessions.end(ctx.cookie(SESSION_COOKIE));
    ctx.res()
        .addHeader(
            "Set-Cookie",
            SESSION_COOKIE
                + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
                + (secureCookies ? "; Secure" : ""));
  }

  /**
   * Ends the sessions whose device token was revoked (or revoked and created anew): one read of the
   * token table. Requests check this too; ending them here frees them at once ({@code
   * RevocationWatch} runs it every 2 s). Returns how many ended.
   */
  public int endRevokedSessions() throws IOException {
    java.util.Set<String> live = new java.util.HashSet<>();
    for (TokenInfo t : tokens.list()) {
      live.add(t.device() + "\u0000" + t.created().toEpochMilli());
    }
    return sessions.endIf(
        s -> !live.contains(s.device() + "\u0000" + s.tokenCreated().toEpochMilli()));
  }

  /** The CSRF tokens of this endpoint's sessions (forms of the owner's pages, sign-out). */
  public CsrfTokens csrf() {
    return state.csrf();
  }

  /** The state this authentication keeps: sessions, keys, attempt limits. */
  public HttpState state() {
    return state;
  }

  /** Whether cookies are marked {@code Secure} (TLS). */
  public boolean secureCookies() {
    return secureCookies;
  }

  private boolean tokenStillValid(Sessions.Session s) throws IOException {
    return tokens.list().stream()
        .anyMatch(t -> t.device().equals(s.device()) && t.created().equals(s.tokenCreated()));
  }

  private static boolean safeMethod(Context ctx) {
    HandlerType m = ctx.method();
    return m == HandlerType.GET || m == HandlerType.HEAD;
  }

  /**
   * No Origin header (same-origin form posts may omit it), one naming this host, or {@code null}
   * from a request whose {@code Sec-Fetch-Site} (if sent) is {@code same-origin}.
   */
  private static boolean sameOrigin(Context ctx) {
    String origin = ctx.header("Origin");
    if (origin == null) {
      return true;
    }
    if (origin.equals("null")) {
      // Our own pages send Referrer-Policy: no-referrer, under which browsers send "Origin: null"
      // on their form posts (Fetch spec); judge by Fetch Metadata instead where it is sent.
      String site = ctx.header("Sec-Fetch-Site");
      return site == null || site.equals("same-origin");
    }
    String host = ctx.header("Host");
    try {
      URI u = URI.create(origin);
      String originHost = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
      return host != null && originHost != null && originHost.equalsIgnoreCase(host);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
