import http from "node:http";
import path from "node:path";
import { ROOT } from "../root";
import { serveFile, StaticFile, StaticSet } from "../http/static-files";

// The network explorer's files, served by the API server itself: the page, its script and style,
// and Cytoscape.js with the fCoSE layout from the installed packages — nothing from a CDN, so it works offline.

const here = (name: string) => path.join(ROOT, "src", "explorer", name);
const SCRIPT = "text/javascript; charset=utf-8";
const FILES: Record<string, StaticFile> = {
  "/explorer/": { file: here("index.html"), type: "text/html; charset=utf-8" },
  "/explorer/explorer.css": { file: here("explorer.css"), type: "text/css; charset=utf-8" },
  // The page's own modules.
  ...Object.fromEntries(["explorer.js", "analyses.js", "api.js", "dom.js", "graph.js", "views.js", "words.js"].map((name) => [`/explorer/${name}`, { file: here(name), type: SCRIPT }])),
  // Cytoscape.js and the fCoSE layout with the two packages it builds on, as installed.
  "/explorer/cytoscape.min.js": { file: require.resolve("cytoscape/dist/cytoscape.min.js"), type: SCRIPT },
  "/explorer/layout-base.js": { file: require.resolve("layout-base/layout-base.js"), type: SCRIPT },
  "/explorer/cose-base.js": { file: require.resolve("cose-base/cose-base.js"), type: SCRIPT },
  "/explorer/cytoscape-fcose.js": { file: require.resolve("cytoscape-fcose/cytoscape-fcose.js"), type: SCRIPT },
};

const EXPLORER: StaticSet = {
  name: "the explorer's files",
  // Only this server's own files and API, no inline script; inline styles are Cytoscape's own.
  csp: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  // An installation without the source tree's src/explorer/ (only dist/ deployed), say.
  unreadable: (route, why) => `The explorer's file ${path.relative(ROOT, FILES[route].file as string)} cannot be read (${why}): deploy the whole package, not only dist/.`,
};

/** Answers a /explorer path; false when it names no file of the explorer. */
export function serveExplorer(route: string, request: http.IncomingMessage, response: http.ServerResponse): boolean {
  if (route === "/explorer" && (request.method === "GET" || request.method === "HEAD")) {
    // The page's addresses are relative (it works behind a path prefix): they need the final slash.
    const query = request.url?.includes("?") ? request.url.slice(request.url.indexOf("?")) : "";
    response.writeHead(302, { location: `explorer/${query}`, "cache-control": "no-cache" });
    response.end();
    return true;
  }
  const found = FILES[route === "/explorer" ? "/explorer/" : route];
  if (!found) return false;
  serveFile(found, route, request, response, EXPLORER);
  return true;
}
