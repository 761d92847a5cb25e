// Rate limits per API key and per client address: token buckets held by this process.
import { DocumentNode, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { RateLimitedError } from "../errors";
import type { ApolloServerPlugin } from "@apollo/server";
import { asksGraphField } from "../graph/graph-query";

/** Buckets untouched this long are full again: forgetting them changes nothing. */
const IDLE_MS = 60_000;
/** Past this many buckets, the idle ones are dropped (many addresses, e.g. rotating IPv6). */
const PRUNE_AT = 10_000;

/**
 * At most `perMinute` requests a minute for each key, in bursts of up to `perMinute`: each key
 * has a bucket of that many tokens, refilled continuously. 0 turns the limiter off.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private prunedAt = 0;

  constructor(
    readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /**
   * Takes one token from the bucket of every key, or none if any is empty: then returns the
   * whole seconds to wait until all of them have one again. Undefined when the request may go.
   */
  take(keys: readonly string[]): number | undefined {
    if (!this.enabled || keys.length === 0) return undefined;
    const t = this.now();
    const perMs = this.perMinute / 60_000;
    const buckets = keys.map((key) => {
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = { tokens: this.perMinute, at: t }));
      bucket.tokens = Math.min(this.perMinute, bucket.tokens + (t - bucket.at) * perMs);
      bucket.at = t;
      return bucket;
    });
    const lacking = Math.max(...buckets.map((b) => 1 - b.tokens));
    if (lacking > 0) return Math.max(1, Math.ceil(lacking / perMs / 1000));
    for (const bucket of buckets) bucket.tokens -= 1;
    // At most once per IDLE_MS: when most buckets are busy, a scan per request would cost more than it frees.
    if (this.buckets.size > PRUNE_AT && t - this.prunedAt >= IDLE_MS) {
      this.prunedAt = t;
      for (const [key, bucket] of this.buckets) if (t - bucket.at >= IDLE_MS) this.buckets.delete(key);
    }
    return undefined;
  }
}

export interface RateLimited {
  viewer: { keyId: string } | null;
  /** The client's address (the TCP peer), when the request came over HTTP. */
  address?: string;
}

/** The buckets a request draws from: its API key's and its address's. */
export function rateKeys(ctx: RateLimited): string[] {
  return [ctx.viewer ? `key:${ctx.viewer.keyId}` : undefined, ctx.address ? `address:${ctx.address}` : undefined].filter(
    (key): key is string => key !== undefined,
  );
}

/** Writes (mutations) and graph queries (a graph field anywhere in the document, src/graph/graph-query.ts): the two kinds of request that cost the server most. */
function limitedKind(operation: OperationDefinitionNode, document: DocumentNode, schema: GraphQLSchema): "write" | "graph" | undefined {
  if (operation.operation === "mutation") return "write";
  if (operation.operation !== "query") return undefined;
  return asksGraphField(schema, document) ? "graph" : undefined;
}

export function rateLimitedError(kind: "write" | "graph", limiter: RateLimiter, retryAfterSeconds: number): RateLimitedError {
  const [what, setting] = kind === "write" ? ["writes", "WRITE_RATE_LIMIT"] : ["graph queries", "GRAPH_RATE_LIMIT"];
  return new RateLimitedError(`Too many ${what}: at most ${limiter.perMinute} a minute for one API key or address (${setting}). Retry after ${retryAfterSeconds} s.`, retryAfterSeconds);
}

/** Refuses, with 429 and Retry-After, a write or graph query over its limit, before it runs. */
export function rateLimitPlugin<T extends RateLimited>(limiters: { write: RateLimiter; graph: RateLimiter }): ApolloServerPlugin<T> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, contextValue, schema }) {
          const kind = operation && limitedKind(operation, document, schema);
          if (!kind) return;
          const wait = limiters[kind].take(rateKeys(contextValue));
          if (wait !== undefined) throw rateLimitedError(kind, limiters[kind], wait);
        },
      };
    },
  };
}
