import type http from "node:http";
import type { Context } from "../context";
import type { Viewer } from "../auth/viewer";
import { sendError } from "../errors";
import { ResponseCache } from "../graph/response-cache";
import type { Exchange } from "./exchange";
import { RateLimiter, rateKeys, rateLimitedError } from "./rate-limit";

/** What the cache needs to know of a request. */
export interface Asked {
  method: string;
  /** The parsed body; only a single POSTed operation is ever cached. */
  body: unknown;
  rawBody: string;
  accept: string | undefined;
}

/**
 * The answer cache of /graphql, the one place that decides: which requests may be answered from
 * it (a single POSTed operation, by body and Accept), when a kept answer may be served (the asker
 * may read, the graph version and the day still hold, the graph rate limit lets it through), and
 * which answers are kept (graph queries only, whole, 200, every field from the request's one
 * model and one day). The kept answers themselves are src/graph/response-cache.ts.
 */
export class AnswerCache {
  private readonly answers: ResponseCache;

  constructor(
    maxBytes: number,
    private readonly graphLimiter: RateLimiter,
    private readonly readRequiresAuth: boolean,
  ) {
    this.answers = new ResponseCache(maxBytes);
  }

  /** The request's key in the cache, or undefined when it can never be answered from it. */
  keyOf(asked: Asked): string | undefined {
    const single = asked.method === "POST" && asked.body !== null && typeof asked.body === "object" && !Array.isArray(asked.body);
    return single && this.answers.enabled ? `${asked.accept ?? ""}\n${asked.rawBody}` : undefined;
  }

  /**
   * Sends the kept answer to `key` if there is one the asker may have: true when it was sent (or the
   * graph rate limit refused it, 429), false when the request must go through GraphQL. The
   * request's one model is taken here (its version is the check).
   */
  async serve(
    key: string | undefined,
    asker: { viewer: Viewer | null; address: string | undefined; operationName: unknown },
    context: Context,
    exchange: Exchange,
    response: http.ServerResponse,
  ): Promise<boolean> {
    if (key === undefined || !this.answers.has(key)) return false;
    if (this.readRequiresAuth && !asker.viewer) return false;
    const hit = this.answers.get(key, (await context.model()).version);
    if (!hit) return false;
    exchange.operation = typeof asker.operationName === "string" ? asker.operationName : null;
    const wait = this.graphLimiter.take(rateKeys(asker));
    if (wait !== undefined) {
      sendError(response, rateLimitedError("graph", this.graphLimiter, wait));
      return true;
    }
    exchange.cache = "hit";
    response.writeHead(hit.status, { ...hit.headers, "x-passerelle-cache": "hit" });
    response.end(hit.body);
    return true;
  }

  /** Keeps GraphQL's answer to `key` when it is a whole 200 of graph queries read from the request's one model on one day. */
  async keep(key: string | undefined, context: Context, answer: { status: number; headers: Record<string, string>; body: string | undefined }): Promise<void> {
    if (key === undefined || !context.graph.cacheable || answer.status !== 200 || answer.body === undefined) return;
    const { version } = await context.model();
    const day = context.graph.days[0] ?? null; // null: every field gave asOf, the answer holds on any day
    if (!context.graph.days.every((d) => d === day)) return;
    this.answers.set(key, { version, day, status: 200, headers: answer.headers, body: Buffer.from(answer.body) });
  }
}
