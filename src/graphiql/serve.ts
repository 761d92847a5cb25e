import http from "node:http";
import path from "node:path";
import { ROOT } from "../root";
import { AppError, sendError } from "../errors";
import { locate, serveFile, StaticFile, StaticSet } from "../http/static-files";

// GraphiQL, the query editor a browser gets at GET /graphql outside production (src/http/routes.ts
// decides when): our page, its start script and style; GraphiQL's and React's browser builds from
// the installed packages; and the API reference with the schema it links to. Nothing from a CDN, so it works offline.

const here = (name: string) => path.join(ROOT, "src", "graphiql", name);

/**
 * A file of an installed package, found when first asked: graphiql, react and react-dom are
 * devDependencies, absent from an `npm ci --omit=dev` install, and the server must start without
 * them. Found from the package's folder: their `exports` do not list these files.
 */
const installed = (name: string, file: string) => () => path.join(path.dirname(require.resolve(`${name}/package.json`)), file);

const JS = "text/javascript; charset=utf-8";
const FILES: Record<string, StaticFile> = {
  "/graphql": { file: here("index.html"), type: "text/html; charset=utf-8" },
  "/graphiql/start.js": { file: here("start.js"), type: JS },
  "/graphiql/page.css": { file: here("page.css"), type: "text/css; charset=utf-8" },
  // GraphiQL 3's browser build wants React 18's (React 19 ships none): window.React, window.ReactDOM.
  "/graphiql/react.production.min.js": { file: installed("react", "umd/react.production.min.js"), type: JS },
  "/graphiql/react-dom.production.min.js": { file: installed("react-dom", "umd/react-dom.production.min.js"), type: JS },
  "/graphiql/graphiql.min.js": { file: installed("graphiql", "graphiql.min.js"), type: JS },
  "/graphiql/graphiql.min.css": { file: installed("graphiql", "graphiql.min.css"), type: "text/css; charset=utf-8" },
  // Markdown as plain text: every browser shows it (Firefox would offer text/markdown as a download).
  "/docs/api.md": { file: path.join(ROOT, "docs", "api.md"), type: "text/plain; charset=utf-8" },
  // The schema the reference links to (../schema/schema.graphql from /docs/api.md).
  "/schema/schema.graphql": { file: path.join(ROOT, "schema", "schema.graphql"), type: "text/plain; charset=utf-8" },
};

const GRAPHIQL: StaticSet = {
  name: "GraphiQL's files",
  // This server's files and API only, no inline script, no eval. Inline styles are GraphiQL's own:
  // its dialogs (settings, short keys) add a <style> element when they open, refused without
  // 'unsafe-inline' (test/browser/graphiql.test.ts opens one); its fonts are data: URLs in its CSS.
  csp: "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self' data:; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  unreadable: (route, why) =>
    typeof FILES[route].file === "string"
      ? `GraphiQL's file ${path.relative(ROOT, FILES[route].file as string)} cannot be read (${why}): deploy the whole package, not only dist/.`
      : `GraphiQL cannot be served: ${route} comes from a package that is not installed (${why}). graphiql, react and react-dom are devDependencies, which \`npm ci --omit=dev\` leaves out: install with \`npm ci\`, or set NODE_ENV=production (no editor). Queries work without it: POST them to /graphql.`,
};

/** Answers the GraphiQL page (asked as /graphql) or one of its files; false when `route` names none. */
export function serveGraphiQL(route: string, request: http.IncomingMessage, response: http.ServerResponse): boolean {
  const found = FILES[route];
  if (!found) return false;
  if (route === "/graphql") {
    // Without the packages, one clear answer rather than a page whose scripts all fail.
    try {
      for (const [name, file] of Object.entries(FILES)) if (typeof file.file !== "string") locate(file, name, GRAPHIQL);
    } catch (error) {
      sendError(response, error as AppError);
      return true;
    }
  }
  serveFile(found, route, request, response, GRAPHIQL);
  return true;
}
