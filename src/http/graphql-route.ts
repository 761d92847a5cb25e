import http from "node:http";
import { randomUUID } from "node:crypto";
import { ApolloServer, HeaderMap, HTTPGraphQLRequest } from "@apollo/server";
import { DataSource } from "typeorm";
import { Config } from "../config/index";
import { Context, requestContext } from "../context";
import { RequestError, sendError, UnauthenticatedError } from "../errors";
import { Viewer } from "../auth/viewer";
import { Features } from "../schema";
import { AnswerCache } from "./answer-cache";
import { Exchange } from "./exchange";

// The adapter between node:http and Apollo for /graphql: what HTTP itself must say (method,
// content type, body size and syntax, batches, CSRF's preflight), the viewer resolved once, the
// answer cache, then Apollo; its answer written back with the request id on refusals.

class BodyTooLarge extends Error {}

function readBody(request: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    if (Number(request.headers["content-length"] ?? 0) > limit) {
      request.resume(); // drain without keeping, so the 413 can be written
      reject(new BodyTooLarge());
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      if (size > limit) return;
      size += chunk.length;
      if (size > limit) {
        chunks.length = 0;
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    request.on("error", reject);
  });
}

/** The context of one request whose viewer is known (the HTTP pipeline authenticates once). */
function contextOf(features: Features, viewer: Viewer | null, requestId: string, address?: string): Context {
  return requestContext(features.models, { requestId, viewer, address });
}

/** The context of one request from its Authorization header; tests build it so for executeOperation. */
export async function createContext(
  features: Features,
  db: DataSource,
  authorization: string | undefined,
  requestId: string = randomUUID(),
  address?: string,
): Promise<Context> {
  let viewer: Viewer | null;
  try {
    viewer = await features.apiKeys.authenticate(authorization);
  } catch (error) {
    // A bad token fails the whole request before any field runs: say so with HTTP 401.
    if (error instanceof UnauthenticatedError) error.extensions.http = { status: 401 };
    throw error;
  }
  return contextOf(features, viewer, requestId, address);
}


/** What Apollo's CSRF prevention lets through: a content type a form cannot send, or one of its headers. */
function preflighted(request: http.IncomingMessage): boolean {
  const type = (request.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
  if (type !== "" && !["application/x-www-form-urlencoded", "multipart/form-data", "text/plain"].includes(type)) return true;
  return ["apollo-require-preflight", "x-apollo-operation-name"].some((name) => (request.headers[name] ?? "") !== "");
}

/** Apollo's refusals made before any plugin runs (a body it cannot use, a method): given the request id too. */
function withRequestId(body: string, requestId: string): string {
  try {
    const parsed = JSON.parse(body) as { errors?: { extensions?: Record<string, unknown> }[] };
    if (!Array.isArray(parsed.errors)) return body;
    for (const error of parsed.errors) error.extensions = { ...error.extensions, requestId };
    return JSON.stringify(parsed);
  } catch {
    return body;
  }
}

/**
 * A browser's visit to /graphql: a GET asking for HTML that is not a query it could run (none, or
 * one without the preflight header, which a browser's address bar cannot send). Outside
 * production it gets GraphiQL (routes.ts); in production the 400 that says what to send.
 */
export function browserVisit(request: http.IncomingMessage, url: URL): boolean {
  if ((request.method ?? "GET").toUpperCase() !== "GET" || !/text\/html/i.test(request.headers.accept ?? "")) return false;
  const asked = url.searchParams.has("query") || url.searchParams.has("extensions");
  return !(asked && preflighted(request));
}

const JSON_BODY = /^application\/(graphql-response\+)?json\s*(;|$)/i;
const SEND_JSON = "POST the operation as JSON with the header `content-type: application/json`, e.g. curl -H 'content-type: application/json' -d '{\"query\":\"{ regions { slug } }\"}'";

export interface GraphQLRoute {
  config: Config;
  features: Features;
  apollo: ApolloServer<Context>;
  answers: AnswerCache;
  /** The exchange of each request in Apollo, by request id, for the request plugin's log line. */
  exchangeOf: Map<string, Exchange>;
}

/** The handler of /graphql. */
export function graphqlRoute({ config, features, apollo, answers, exchangeOf }: GraphQLRoute) {
  return async (request: http.IncomingMessage, response: http.ServerResponse, url: URL, exchange: Exchange): Promise<void> => {
    const { requestId } = exchange;
    const method = (request.method ?? "GET").toUpperCase();
    if (method === "OPTIONS") {
      // Not a CORS preflight (those are answered before): what the route serves.
      request.resume();
      response.writeHead(204, { allow: "GET, POST, OPTIONS" });
      response.end();
      return;
    }
    if (method !== "GET" && method !== "POST") {
      request.resume();
      return sendError(response, new RequestError(405, "method", `/graphql is asked with ${method}: ${SEND_JSON} (GET works for queries too).`, { allow: "GET, POST, OPTIONS" }));
    }
    // Said here, before Apollo, whose CSRF refusal does not say what to send.
    if (method === "POST" && !JSON_BODY.test(request.headers["content-type"] ?? "")) {
      request.resume();
      const got = request.headers["content-type"] ? `\`${request.headers["content-type"]}\`` : "no content type";
      return sendError(response, new RequestError(415, "content-type", `This POST has ${got}: ${SEND_JSON}.`, { accept: "application/json" }));
    }
    if (method === "GET") {
      if (!url.searchParams.has("query") && !url.searchParams.has("extensions")) {
        return sendError(response, new RequestError(400, "query", `GET /graphql needs a ?query= parameter; better, ${SEND_JSON}.`));
      }
      if (!preflighted(request)) {
        return sendError(
          response,
          new RequestError(
            400,
            "apollo-require-preflight",
            `A GET /graphql needs the header \`apollo-require-preflight: 1\` (it keeps other sites' pages from sending it in your name); or ${SEND_JSON}.`,
          ),
        );
      }
    }
    let rawBody: string;
    try {
      rawBody = await readBody(request, config.bodyLimitBytes);
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        sendError(
          response,
          new RequestError(413, "body", `The request body is larger than ${config.bodyLimitBytes} bytes (BODY_LIMIT_BYTES): send a smaller query.`, { connection: "close" }),
        );
      }
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(request.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
    }
    let body: unknown = undefined;
    if (method === "POST" && rawBody !== "") {
      try {
        body = JSON.parse(rawBody);
      } catch {
        return sendError(response, new RequestError(400, "body", `The request body is not valid JSON: ${SEND_JSON}.`));
      }
    }
    if (Array.isArray(body) && body.length > config.maxBatch) {
      const message =
        config.maxBatch === 1
          ? "Batched requests (a JSON array of operations) are turned off on this server (MAX_BATCH=1): send one operation per request."
          : `A batched request holds at most ${config.maxBatch} operations (MAX_BATCH); this one holds ${body.length}: split it.`;
      return sendError(response, new RequestError(400, "body", message));
    }
    // The viewer, once per request: the cache, the rate limits, the resolvers and the log line use it.
    let viewer: Viewer | null;
    try {
      viewer = await features.apiKeys.authenticate(headers.get("authorization"));
    } catch (error) {
      if (!(error instanceof UnauthenticatedError)) throw error;
      return sendError(response, error);
    }
    exchange.keyId = viewer?.keyId ?? null;
    const address = request.socket.remoteAddress;
    // A graph query asked before, at the same graph version, by someone allowed to read: its answer
    // is sent as it was, without running GraphQL again. Anything else goes through Apollo.
    const cacheKey = answers.keyOf({ method, body, rawBody, accept: headers.get("accept") });
    const context = contextOf(features, viewer, requestId, address);
    const operationName = (body as { operationName?: unknown } | undefined)?.operationName;
    if (await answers.serve(cacheKey, { viewer, address, operationName }, context, exchange, response)) return;

    const httpGraphQLRequest: HTTPGraphQLRequest = { method, headers, search: url.search, body };
    exchangeOf.set(requestId, exchange);
    const result = await apollo.executeHTTPGraphQLRequest({ httpGraphQLRequest, context: async () => context }).finally(() => exchangeOf.delete(requestId));
    const answerHeaders: Record<string, string> = {};
    for (const [name, value] of result.headers) answerHeaders[name] = value;
    await answers.keep(cacheKey, context, { status: result.status ?? 200, headers: answerHeaders, body: result.body.kind === "complete" ? result.body.string : undefined });
    if (answerHeaders.vary && response.getHeader("vary")) answerHeaders.vary = `${response.getHeader("vary")}, ${answerHeaders.vary}`;
    response.writeHead(result.status ?? 200, answerHeaders);
    if (result.body.kind === "complete") {
      response.end((result.status ?? 200) >= 400 ? withRequestId(result.body.string, requestId) : result.body.string);
    } else {
      for await (const chunk of result.body.asyncIterator) response.write(chunk);
      response.end();
    }
  }
}
