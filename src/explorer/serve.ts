import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { ROOT } from "../common/root";

// The network explorer's files, served by the API server itself: the page, its script and style,
// and Cytoscape.js from the installed package — nothing from a CDN, so it works offline.

const here = (name: string) => path.join(ROOT, "src", "explorer", name);
const FILES: Record<string, { file: string; type: string }> = {
  "/explorer": { file: here("index.html"), type: "text/html; charset=utf-8" },
  "/explorer/": { file: here("index.html"), type: "text/html; charset=utf-8" },
  "/explorer/explorer.js": { file: here("explorer.js"), type: "text/javascript; charset=utf-8" },
  "/explorer/explorer.css": { file: here("explorer.css"), type: "text/css; charset=utf-8" },
  "/explorer/cytoscape.min.js": { file: require.resolve("cytoscape/dist/cytoscape.min.js"), type: "text/javascript; charset=utf-8" },
};

/** Answers a /explorer path; false when it names no file of the explorer. */
export function serveExplorer(route: string, method: string | undefined, response: http.ServerResponse): boolean {
  const found = FILES[route];
  if (!found) return false;
  if (method !== "GET" && method !== "HEAD") {
    response.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" });
    response.end("The explorer's files are read with GET.");
    return true;
  }
  response.writeHead(200, {
    "content-type": found.type,
    "cache-control": "no-cache",
    "x-content-type-options": "nosniff",
    // Only this server's own files and API, no inline script; inline styles are Cytoscape's own.
    "content-security-policy": "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
  });
  if (method === "HEAD") response.end();
  else fs.createReadStream(found.file).pipe(response);
  return true;
}
