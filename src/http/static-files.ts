import { createHash } from "node:crypto";
import fs from "node:fs";
import http from "node:http";
import { AppError, ErrorCode, RequestError, sendError } from "../errors";

// Files served as they are on disk (the explorer's, GraphiQL's): read once, answered with an ETag
// (304 while unchanged), no-cache so that a browser asks again, and the page's security policy.

/** One file: where it is (a function when finding it may fail: a package not installed) and its content type. */
export interface StaticFile {
  file: string | (() => string);
  type: string;
}

/** How a set of files is served: its content security policy, and what to say when a file cannot be read. */
export interface StaticSet {
  /** What the files are, for the 405's message: "the explorer's files". */
  name: string;
  csp: string;
  /** The message of the 500 answered when a file cannot be found or read (`why`: an errno code or a resolution error). */
  unreadable: (file: string, why: string) => string;
}

/** Each file's bytes and validator, read once: a few megabytes at most. */
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

/** Where `found` is on disk, or throws an AppError saying why it is not there. */
export function locate(found: StaticFile, route: string, set: StaticSet): string {
  try {
    return typeof found.file === "string" ? found.file : found.file();
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new AppError(set.unreadable(route, why), ErrorCode.INTERNAL_SERVER_ERROR);
  }
}

/** Answers GET or HEAD of `found` (405 for other methods); a file that cannot be read is a 500 saying why. */
export function serveFile(found: StaticFile, route: string, request: http.IncomingMessage, response: http.ServerResponse, set: StaticSet): void {
  const method = request.method;
  if (method !== "GET" && method !== "HEAD") {
    sendError(response, new RequestError(405, "method", `${method} is not allowed on ${route}: ${set.name} are read with GET.`, { allow: "GET, HEAD" }));
    return;
  }
  let file: { body: Buffer; etag: string };
  try {
    file = load(locate(found, route, set));
  } catch (error) {
    if (error instanceof AppError) return sendError(response, error);
    const why = (error as NodeJS.ErrnoException).code ?? "error";
    return sendError(response, new AppError(set.unreadable(route, why), ErrorCode.INTERNAL_SERVER_ERROR));
  }
  const headers = {
    "content-type": found.type,
    // Asked again each time, answered 304 while the file is the same.
    "cache-control": "no-cache",
    etag: file.etag,
    "x-content-type-options": "nosniff",
    "content-security-policy": set.csp,
  };
  if (request.headers["if-none-match"] === file.etag) {
    response.writeHead(304, headers);
    response.end();
    return;
  }
  response.writeHead(200, { ...headers, "content-length": file.body.length });
  response.end(method === "HEAD" ? undefined : file.body);
}
