import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ROOT } from "../root";
import { AppError, ErrorCode, RequestError, sendError } from "../errors";

// The network explorer's files, served by the API server itself: the page, its script and style,
// and Cytoscape.js from the installed package — nothing from a CDN, so it works offline.

const here = (name: string) => path.join(ROOT, "src", "explorer", name);
const SCRIPT = "text/javascript; charset=utf-8";
const FILES: Record<string, { file: string; type: string }> = {
  "/explorer/": { file: here("index.html"), type: "text/html; charset=utf-8" },
  "/explorer/explorer.css": { file: here("explorer.css"), type: "text/css; charset=utf-8" },
  // The page's own modules.
  ...Object.fromEntries(["explorer.js", "api.js", "dom.js", "graph.js", "views.js", "words.js"].map((name) => [`/explorer/${name}`, { file: here(name), type: SCRIPT }])),
  // Cytoscape.js and the fCoSE layout with the two packages it builds on, as installed.
  "/explorer/cytoscape.min.js": { file: require.resolve("cytoscape/dist/cytoscape.min.js"), type: SCRIPT },
  "/explorer/layout-base.js": { file: require.resolve("layout-base/layout-base.js"), type: SCRIPT },
  "/explorer/cose-base.js": { file: require.resolve("cose-base/cose-base.js"), type: SCRIPT },
  "/explorer/cytoscape-fcose.js": { file: require.resolve("cytoscape-fcose/cytoscape-fcose.js"), type: SCRIPT },
};

/** Each file's bytes and validator, read once: a few hundred kilobytes in all. */
const loaded = new Map<string, { body: Buffer; etag: string }>();

function load(file: string): { body: Buffer; etag: string } {
  let found = loaded.get(file);
  if (!found) {
    const body = fs.readFileSync(file);
    found = { body, etag: `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"` };
    loaded.set(file, found);
  }
  return found;
}

/** Answers a /explorer path; false when it names no file of the explorer. */
export function serveExplorer(route: string, request: http.IncomingMessage, response: http.ServerResponse): boolean {
  const method = request.method;
  const found = FILES[route];
  if (!found && route !== "/explorer") return false;
  if (method !== "GET" && method !== "HEAD") {
    sendError(response, new RequestError(405, "method", `${method} is not allowed on ${route}: the explorer's files are read with GET.`, { allow: "GET, HEAD" }));
    return true;
  }
  if (!found) {
    // The page's addresses are relative (it works behind a path prefix): they need the final slash.
    const query = request.url?.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
    response.writeHead(302, { location: `explorer/${query}`, "cache-control": "no-cache" });
    response.end();
    return true;
  }
  let file: { body: Buffer; etag: string };
  try {
    file = load(found.file);
  } catch (error) {
    // An installation without the source tree's src/explorer/ (only dist/ deployed), say.
    const why = (error as NodeJS.ErrnoException).code ?? "error";
    sendError(response, new AppError(`The explorer's file ${path.relative(ROOT, found.file)} cannot be read (${why}): deploy the whole package, not only dist/.`, ErrorCode.INTERNAL_SERVER_ERROR));
    return true;
  }
  const headers = {
    "content-type": found.type,
    // Asked again each time, answered 304 while the file is the same.
    "cache-control": "no-cache",
    etag: file.etag,
    "x-content-type-options": "nosniff",
    // Only this server's own files and API, no inline script; inline styles are Cytoscape's own.
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  };
  if (request.headers["if-none-match"] === file.etag) {
    response.writeHead(304, headers);
    response.end();
    return true;
  }
  response.writeHead(200, { ...headers, "content-length": file.body.length });
  response.end(method === "HEAD" ? undefined : file.body);
  return true;
}
