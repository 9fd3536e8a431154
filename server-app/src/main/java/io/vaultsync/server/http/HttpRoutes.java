package io.vaultsync.server.http;

import io.javalin.config.RoutesConfig;

/**
 * A group of HTTP routes, registered when the endpoint starts: the seam through which each part of
 * the HTTP face (zip downloads, share links, the web page) adds its routes in its own class without
 * editing the others'. {@link HttpEndpoint#defaultRoutes()} finds implementations with {@link
 * java.util.ServiceLoader} (listed in {@code
 * META-INF/services/io.vaultsync.server.http.HttpRoutes}), so a new group needs only a line there.
 *
 * <p>Javalin 7 registers routes on its configuration ({@code config.routes}), before the server
 * starts, hence {@link RoutesConfig} rather than the started {@code Javalin} app. Every route is
 * already covered by the endpoint's security headers and error mapping: a handler throws (a Javalin
 * {@code HttpResponseException} such as {@code NotFoundResponse}, an {@link
 * IllegalArgumentException} for bad input: 400) and never writes a stack trace itself.
 */
public interface HttpRoutes {
  /** Adds this group's routes; {@code services} is what handlers may use. */
  void register(RoutesConfig routes, HttpServices services);
}
