// CORS (docs/api.md, "browsers on other origins"): pages served from the origins of CORS_ORIGINS may
// call this server; any other origin gets no CORS header, so its browser keeps the answer from it.
import http from "node:http";
import { ForbiddenError, sendError } from "../errors";

const ALLOW_METHODS = "GET, POST, OPTIONS";
/** What a GraphQL client sends: JSON, a key, and Apollo's CSRF-prevention headers for GETs. */
const ALLOW_HEADERS = "content-type, authorization, apollo-require-preflight, x-apollo-operation-name";
/** Headers a page may read besides the safelisted ones: the request id to quote, the wait after a 429/503. */
const EXPOSE_HEADERS = "x-request-id, retry-after";
/** How long a browser may reuse a preflight's answer, in seconds. */
const MAX_AGE_SECONDS = 600;

export class Cors {
  private readonly origins: ReadonlySet<string>;

  constructor(origins: readonly string[]) {
    this.origins = new Set(origins);
  }

  /**
   * Sets the CORS headers of this response; answers a preflight (OPTIONS with Origin and
   * Access-Control-Request-Method) and returns true then, false for any other request.
   */
  handle(request: http.IncomingMessage, response: http.ServerResponse): boolean {
    const origin = request.headers.origin;
    const listed = origin !== undefined && this.origins.has(origin);
    // Answers differ by Origin once any origin is listed: caches must keep them apart.
    if (this.origins.size > 0) response.setHeader("vary", "Origin");
    if (listed) {
      response.setHeader("access-control-allow-origin", origin);
      response.setHeader("access-control-expose-headers", EXPOSE_HEADERS);
    }
    const preflight = request.method === "OPTIONS" && origin !== undefined && request.headers["access-control-request-method"] !== undefined;
    if (!preflight) return false;
    if (!listed) {
      sendError(
        response,
        new ForbiddenError(`Pages from ${origin} may not call this server: add that origin to CORS_ORIGINS (comma-separated origins such as https://dash.example.org).`),
      );
      return true;
    }
    response.writeHead(204, {
      "access-control-allow-methods": ALLOW_METHODS,
      "access-control-allow-headers": ALLOW_HEADERS,
      "access-control-max-age": String(MAX_AGE_SECONDS),
    });
    response.end();
    return true;
  }
}
