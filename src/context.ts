import { Viewer } from "./auth/viewer";
import type { ReadModel } from "./model/model";
import type { ReadModels } from "./model/read-models";

/** What every resolver gets for one request. */
export interface Context {
  requestId: string;
  viewer: Viewer | null;
  /** The client's address (TCP peer) when the request came over HTTP: rate limits are kept by it. */
  address?: string;
  /**
   * The read model this request reads. A query takes it once, before it executes (src/http/request-plugin.ts),
   * and every field of its answer comes from that one state (docs/api.md, "consistency"). In a mutation
   * each call takes the latest, so a field after a write sees it.
   */
  model(): Promise<ReadModel>;
  /**
   * `f` of this request's model: at once when a query has taken it (src/http/request-plugin.ts takes it before
   * executing), so nested fields resolve without a promise each; else once `model()` resolves.
   */
  read<T>(f: (model: ReadModel) => T): T | Promise<T>;
  /** `writes` is set once the operation is known to be a mutation (src/http/request-plugin.ts); an object, as Apollo copies the context. */
  operation: { writes: boolean };
  /**
   * For the graph answer cache (src/graph/response-cache.ts): whether this request's answer may be
   * kept, and the days graph fields asked without asOf took as today.
   */
  graph: { cacheable: boolean; days: string[] };
}

/** A request's context: its model is taken at the first call, then kept (but in mutations). */
export function requestContext(models: ReadModels, fields: { requestId: string; viewer: Viewer | null; address?: string }): Context {
  let taken: Promise<ReadModel> | undefined;
  let resolved: ReadModel | undefined;
  const model = () => {
    if (context.operation.writes) return models.current();
    return (taken ??= models.current().then((m) => (resolved = m)));
  };
  const context: Context = {
    ...fields,
    operation: { writes: false },
    model,
    read: (f) => (resolved !== undefined && !context.operation.writes ? f(resolved) : model().then(f)),
    graph: { cacheable: false, days: [] },
  };
  return context;
}
